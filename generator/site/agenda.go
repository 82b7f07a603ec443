package site

import (
	"fmt"
	"strconv"
	"strings"

	"flipchart/generator/content"
	"flipchart/generator/diag"
	"flipchart/generator/meta"
)

// Agenda is the schedule of a workshop: days of sessions and breaks, with
// every start and end computed from the sessions' time ranges.
type Agenda struct {
	Days []*Day
}

// Day is one day of an agenda.
type Day struct {
	// Title is the day's title, "" when the agenda gives none: a page
	// shows "Day 2" in its language then (see N).
	Title string
	N     int    // the day's number in the agenda, from 1
	Date  string // as written, optional
	Start Clock
	Items []*Item
	Total content.TimeRange // the day's sessions and breaks
	End   ClockRange
}

// Item is a session or a break in a day.
type Item struct {
	Session *Page  // nil for a break
	Title   string // a break's title, or the session's
	Time    content.TimeRange
	Start   ClockRange
	End     ClockRange
}

// IsBreak reports whether the item is a break.
func (it *Item) IsBreak() bool { return it.Session == nil }

// Clock is a time of day in minutes after midnight of the agenda's day;
// it may pass 24:00 when a day runs past midnight.
type Clock int

// String shows the clock as 24-hour "09:30", with "+1" when it is on the next
// day.
func (c Clock) String() string {
	m := int(c)
	days := m / (24 * 60)
	m %= 24 * 60
	s := fmt.Sprintf("%02d:%02d", m/60, m%60)
	if days > 0 {
		s += fmt.Sprintf(" (+%d)", days)
	}
	return s
}

// ClockRange is when something starts or ends: from the earliest to the
// latest time, as the sessions before it may take their shortest or their
// longest time.
type ClockRange struct{ Min, Max Clock }

// String shows "09:00" for a fixed time, else "09:00–09:30".
func (r ClockRange) String() string {
	if r.Min == r.Max {
		return r.Min.String()
	}
	return r.Min.String() + "–" + r.Max.String()
}

// Shift returns the range moved by a time range.
func (r ClockRange) Shift(t content.TimeRange) ClockRange {
	return ClockRange{r.Min + Clock(t.Min), r.Max + Clock(t.Max)}
}

// ParseClock reads a time of day: "09:00", "9:00", "14h30", "9 am",
// "2:30 pm".
func ParseClock(s string) (Clock, error) {
	in := strings.ToLower(strings.TrimSpace(s))
	pm, am := strings.HasSuffix(in, "pm"), strings.HasSuffix(in, "am")
	if pm || am {
		in = strings.TrimSpace(in[:len(in)-2])
	}
	hs, ms, found := strings.Cut(strings.Replace(in, "h", ":", 1), ":")
	if !found {
		ms = "0"
	}
	if ms == "" {
		ms = "0"
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 || ((pm || am) && (h < 1 || h > 12)) {
		return 0, fmt.Errorf("%q is not a time of day; write it as 09:00 or 14:30", s)
	}
	if pm && h != 12 {
		h += 12
	}
	if am && h == 12 {
		h = 0
	}
	return Clock(h*60 + m), nil
}

// Schedule computes the start and end of each item and the day's totals.
func (d *Day) Schedule() {
	at := ClockRange{d.Start, d.Start}
	d.Total = content.TimeRange{}
	for _, it := range d.Items {
		it.Start = at
		it.End = at.Shift(it.Time)
		at = it.End
		d.Total = d.Total.Add(it.Time)
	}
	d.End = at
}

// Sessions lists the sessions of the agenda, each once, in order.
func (a *Agenda) Sessions() []*Page {
	seen := map[*Page]bool{}
	var out []*Page
	for _, d := range a.Days {
		for _, it := range d.Items {
			if it.Session != nil && !seen[it.Session] {
				seen[it.Session] = true
				out = append(out, it.Session)
			}
		}
	}
	return out
}

// decodeAgenda reads the [[days]] of an agenda page.
func (s *Site) decodeAgenda(p *Page, diags *diag.List) *Agenda {
	doc := p.Source.Doc
	if doc == nil {
		// A source a build cache kept without its front matter: the cache
		// reads agendas from their files, so this is flipchart's fault.
		diags.Add("site", diag.Errorf(p.File(), 1, 0, "the agenda was read without its front matter").
			WithHint("build again with --no-cache, and report this as a bug of flipchart"))
		return nil
	}
	root := doc.Root("site", diags)
	days := root.Tables("days")
	a := &Agenda{}
	if len(days) == 0 {
		diags.Add("site", diag.Errorf(p.File(), 1, 0, "an agenda needs at least one [[days]] table").
			WithHint(`add [[days]] with title = "Day 1", start = "09:00" and sessions = [1, 2, { break = "Lunch", time = "1 h" }, 3]`))
		return a
	}
	for _, t := range days {
		d := &Day{N: len(a.Days) + 1}
		t.String("title", &d.Title)
		t.String("date", &d.Date)
		var start string
		d.Start = 9 * 60
		if t.String("start", &start) {
			c, err := ParseClock(start)
			if err != nil {
				t.Errorf("start", "%v", err)
			}
			d.Start = c
		}
		items, _ := t.Raw("sessions")
		list, ok := items.([]any)
		if !ok {
			if items == nil {
				t.Errorf("sessions", "missing").WithHint("list the day's sessions by number or slug: sessions = [9, { break = \"Coffee\", time = \"15 min\" }, 11]")
			} else {
				t.Errorf("sessions", "expected a list of sessions and breaks").WithHint("write sessions = [9, { break = \"Coffee\", time = \"15 min\" }, 11]")
			}
			continue
		}
		keyLine, _ := doc.Pos(t.Path("sessions")...)
		for _, v := range list {
			if it := s.agendaItem(p, doc, keyLine, v, diags); it != nil {
				d.Items = append(d.Items, it)
			}
		}
		d.Schedule()
		t.ReportUnknown(diag.Error, "a day knows title, date, start and sessions")
		a.Days = append(a.Days, d)
	}
	return a
}

// agendaItem reads one entry of a day's sessions: a number, a slug, or a
// break as { break = "Lunch", time = "1 h" }.
func (s *Site) agendaItem(p *Page, doc *meta.Doc, keyLine int, v any, diags *diag.List) *Item {
	switch v := v.(type) {
	case int64, string:
		ref := fmt.Sprint(v)
		q := s.Session(ref)
		if q == nil {
			needle := ref
			if _, isStr := v.(string); isStr {
				needle = strconv.Quote(ref)
			}
			line, col := doc.Find(keyLine, needle)
			diags.Add("site", diag.Errorf(p.File(), line, col, "the agenda lists session %s, but there is no such session", needle).
				WithHint("use the number or slug of an existing session"))
			return nil
		}
		return &Item{Session: q, Title: q.Title, Time: q.Time}
	case map[string]any:
		title, _ := v["break"].(string)
		if title == "" {
			if ref, ok := v["session"]; ok {
				return s.agendaItem(p, doc, keyLine, ref, diags)
			}
		}
		line, col := doc.Find(keyLine, "break")
		tm, _ := v["time"].(string)
		if title == "" || tm == "" {
			diags.Add("site", diag.Errorf(p.File(), line, col, "a break needs a title and a time").
				WithHint(`write { break = "Coffee", time = "15 min" }`))
			return nil
		}
		r, err := content.ParseTimeRange(tm)
		if err != nil {
			diags.Add("site", diag.Errorf(p.File(), line, col, "break %q: %v", title, err))
			return nil
		}
		return &Item{Title: title, Time: r}
	}
	line, col := doc.Find(keyLine, fmt.Sprint(v))
	diags.Add("site", diag.Errorf(p.File(), line, col, "an agenda entry must be a session number, a slug or a break, got %v", v))
	return nil
}
