package content

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// TimeRange is how long something takes, in minutes, from Min to Max. A fixed
// time has Min == Max. The zero value means no time was given.
type TimeRange struct{ Min, Max int }

// IsZero reports whether no time was given.
func (r TimeRange) IsZero() bool { return r.Max == 0 }

// Add returns the sum of two ranges.
func (r TimeRange) Add(o TimeRange) TimeRange { return TimeRange{r.Min + o.Min, r.Max + o.Max} }

// String shows the range the one way flipchart writes times everywhere: a
// fixed time as "45 min" or "1 h 30 min"; a range up to an hour and a half in
// minutes, "15–30 min", "60–90 min"; longer ones in hours, "1–2 h",
// "45 min – 2 h 30 min".
func (r TimeRange) String() string {
	if r.IsZero() {
		return ""
	}
	if r.Min == r.Max {
		return formatMinutes(r.Max)
	}
	switch {
	case r.Max <= 90:
		return fmt.Sprintf("%d–%d min", r.Min, r.Max)
	case r.Min%60 == 0 && r.Max%60 == 0:
		return fmt.Sprintf("%d–%d h", r.Min/60, r.Max/60)
	}
	return formatMinutes(r.Min) + " – " + formatMinutes(r.Max)
}

func formatMinutes(m int) string {
	switch {
	case m < 60:
		return fmt.Sprintf("%d min", m)
	case m%60 == 0:
		return fmt.Sprintf("%d h", m/60)
	}
	return fmt.Sprintf("%d h %d min", m/60, m%60)
}

// maxMinutes bounds any one time, so that nonsense such as "99999999 h" is
// an error rather than an overflow.
const maxMinutes = 7 * 24 * 60

// ParseTimeRange reads a time as authors write it: "15–30 min",
// "15-30 minutes", "45 min", "1 h 30 min", "1.5 h", "1h30", "90" (minutes),
// "15 to 30 MINUTES". A unit written only after the second number applies to
// both.
func ParseTimeRange(s string) (TimeRange, error) {
	in := strings.ToLower(strings.TrimSpace(s))
	if in == "" {
		return TimeRange{}, fmt.Errorf("empty time")
	}
	var sides []string
	for _, sep := range []string{"–", "—", " to ", "-"} {
		if i := strings.Index(in, sep); i >= 0 {
			sides = []string{in[:i], in[i+len(sep):]}
			break
		}
	}
	if sides == nil {
		m, _, err := parseAmount(in, "")
		if err != nil {
			return TimeRange{}, fmt.Errorf("%q: %v", s, err)
		}
		return TimeRange{m, m}, nil
	}
	_, unit, err := parseAmount(sides[1], "")
	if err != nil {
		return TimeRange{}, fmt.Errorf("%q: %v", s, err)
	}
	lo, _, err := parseAmount(sides[0], unit)
	if err != nil {
		return TimeRange{}, fmt.Errorf("%q: %v", s, err)
	}
	hi, _, _ := parseAmount(sides[1], "")
	if lo > hi {
		return TimeRange{}, fmt.Errorf("%q: the range runs backwards; write the shorter time first", s)
	}
	return TimeRange{lo, hi}, nil
}

// parseAmount reads "1 h 30 min", "1.5h", "45", "45 minutes". A bare number
// takes defUnit, or minutes. It returns minutes and the last unit seen.
func parseAmount(s, defUnit string) (int, string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, "", fmt.Errorf("a number is missing")
	}
	total := 0.0
	lastUnit := ""
	i := 0
	for i < len(s) {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		j := i
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' || s[j] == ',') {
			j++
		}
		if j == i {
			return 0, "", fmt.Errorf("expected a number at %q", s[i:])
		}
		n, err := strconv.ParseFloat(strings.ReplaceAll(s[i:j], ",", "."), 64)
		if err != nil || n > maxMinutes {
			return 0, "", fmt.Errorf("%q is not a usable number", s[i:j])
		}
		for j < len(s) && s[j] == ' ' {
			j++
		}
		k := j
		for k < len(s) && unicode.IsLetter(rune(s[k])) {
			k++
		}
		word := s[j:k]
		unit := ""
		switch word {
		case "h", "hr", "hrs", "hour", "hours":
			unit = "h"
		case "m", "min", "mins", "minute", "minutes":
			unit = "min"
		case "":
			switch {
			case lastUnit == "h":
				unit = "min" // "1h30"
			case defUnit != "":
				unit = defUnit
			default:
				unit = "min"
			}
		default:
			return 0, "", fmt.Errorf("unknown unit %q; use min or h", word)
		}
		if unit == "h" {
			n *= 60
		}
		total += n
		lastUnit = unit
		i = k
		for i < len(s) && (s[i] == ' ' || s[i] == '.') {
			i++
		}
	}
	m := int(total + 0.5)
	if m <= 0 || m > maxMinutes {
		return 0, "", fmt.Errorf("a time must be between 1 minute and 7 days")
	}
	return m, lastUnit, nil
}
