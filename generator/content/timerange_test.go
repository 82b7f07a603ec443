package content

import (
	"strings"
	"testing"
)

func TestParseTimeRange(t *testing.T) {
	tests := []struct {
		in       string
		min, max int
		show     string // how flipchart writes it back
	}{
		// One time.
		{"45 min", 45, 45, "45 min"},
		{"45", 45, 45, "45 min"},
		{"90", 90, 90, "1 h 30 min"},
		{"60", 60, 60, "1 h"},
		{"45 minutes", 45, 45, "45 min"},
		{"45 MINUTES", 45, 45, "45 min"},
		{"1 minute", 1, 1, "1 min"},
		{"45mins", 45, 45, "45 min"},
		{"45 m", 45, 45, "45 min"},
		{"  45 min  ", 45, 45, "45 min"},
		{"45 min.", 45, 45, "45 min"},
		{"1 h", 60, 60, "1 h"},
		{"2 hours", 120, 120, "2 h"},
		{"1 hr", 60, 60, "1 h"},
		{"2 hrs", 120, 120, "2 h"},
		{"1 hour", 60, 60, "1 h"},
		{"1 h 30 min", 90, 90, "1 h 30 min"},
		{"1h30", 90, 90, "1 h 30 min"},
		{"1h 30m", 90, 90, "1 h 30 min"},
		{"1 hour 30 minutes", 90, 90, "1 h 30 min"},
		{"1.5 h", 90, 90, "1 h 30 min"},
		{"1,5 h", 90, 90, "1 h 30 min"},
		{"1.25 hours", 75, 75, "1 h 15 min"},
		{"0.5 min", 1, 1, "1 min"}, // rounded to the minute
		{"10080 min", 10080, 10080, "168 h"},
		// Ranges.
		{"15–30 min", 15, 30, "15–30 min"},
		{"15-30 minutes", 15, 30, "15–30 min"},
		{"15 - 30 min", 15, 30, "15–30 min"},
		{"15—30 min", 15, 30, "15–30 min"},
		{"15 to 30 MINUTES", 15, 30, "15–30 min"},
		{"15 TO 30", 15, 30, "15–30 min"},
		{"15-30", 15, 30, "15–30 min"},
		{"45–60 min", 45, 60, "45–60 min"}, // as the demo writes it in its front matter and its body
		{"30-30 min", 30, 30, "30 min"},
		{"1-2 h", 60, 120, "1–2 h"},
		{"1–2 hours", 60, 120, "1–2 h"},
		{"1 h – 2 h", 60, 120, "1–2 h"},
		{"60-120", 60, 120, "1–2 h"},
		{"45 min – 1 h 30 min", 45, 90, "45–90 min"},
		{"45 min - 1.5 h", 45, 90, "45–90 min"},
		{"30 min to 1 h", 30, 60, "30–60 min"},
		{"1-1.5 h", 60, 90, "60–90 min"},
		{"90-120", 90, 120, "1 h 30 min – 2 h"},
		{"1h30-2h", 90, 120, "1 h 30 min – 2 h"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTimeRange(tt.in)
			if err != nil {
				t.Fatalf("ParseTimeRange(%q): %v", tt.in, err)
			}
			if got != (TimeRange{tt.min, tt.max}) {
				t.Errorf("ParseTimeRange(%q) = %+v, want {Min:%d Max:%d}", tt.in, got, tt.min, tt.max)
			}
			if s := got.String(); s != tt.show {
				t.Errorf("ParseTimeRange(%q).String() = %q, want %q", tt.in, s, tt.show)
			}
			// What flipchart writes reads back as the same time.
			again, err := ParseTimeRange(got.String())
			if err != nil || again != got {
				t.Errorf("ParseTimeRange(%q) = %+v, %v; want %+v", got.String(), again, err, got)
			}
		})
	}
}

func TestParseTimeRangeErrors(t *testing.T) {
	tests := []struct {
		in   string
		want string // part of the message
	}{
		{"", "empty time"},
		{"   ", "empty time"},
		{"soon", "expected a number"},
		{"about 30 min", "expected a number"},
		{"30 sec", `unknown unit "sec"`},
		{"2 days", `unknown unit "days"`},
		{"15to30", `unknown unit "to"`},
		{"0", "between 1 minute and 7 days"},
		{"0 min", "between 1 minute and 7 days"},
		{"0.2 min", "between 1 minute and 7 days"},
		{"200 h", "between 1 minute and 7 days"},
		{"99999999 h", "not a usable number"},
		{"1e9", `unknown unit "e"`},
		{"1.2.3 min", "not a usable number"},
		{"30-15 min", "runs backwards"},
		{"2 h - 30 min", "runs backwards"},
		{"-30", "a number is missing"},
		{"30-", "a number is missing"},
		{"15-30-45", "expected a number"},
		{"15 min 30 sec", `unknown unit "sec"`},
		{"NaN", "expected a number"},
		{"Inf", "expected a number"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTimeRange(tt.in)
			if err == nil {
				t.Fatalf("ParseTimeRange(%q) = %+v, want an error containing %q", tt.in, got, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseTimeRange(%q) error = %q, want it to contain %q", tt.in, err, tt.want)
			}
			if got != (TimeRange{}) {
				t.Errorf("ParseTimeRange(%q) = %+v with an error, want the zero TimeRange", tt.in, got)
			}
		})
	}
}

func TestTimeRangeString(t *testing.T) {
	tests := []struct {
		r    TimeRange
		want string
	}{
		{TimeRange{}, ""},
		{TimeRange{5, 5}, "5 min"},
		{TimeRange{59, 59}, "59 min"},
		{TimeRange{60, 60}, "1 h"},
		{TimeRange{61, 61}, "1 h 1 min"},
		{TimeRange{15, 30}, "15–30 min"},
		{TimeRange{30, 59}, "30–59 min"},
		{TimeRange{30, 60}, "30–60 min"},
		{TimeRange{120, 180}, "2–3 h"},
		{TimeRange{90, 180}, "1 h 30 min – 3 h"},
		{TimeRange{15, 30}.Add(TimeRange{45, 60}), "60–90 min"},
	}
	for _, tt := range tests {
		if got := tt.r.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.r, got, tt.want)
		}
	}
}
