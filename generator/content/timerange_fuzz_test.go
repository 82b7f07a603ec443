package content

import "testing"

// FuzzTimeRange: parsing never panics, a parsed range is sane, and the way
// flipchart shows a range reads back as the same range.
func FuzzTimeRange(f *testing.F) {
	for _, s := range []string{"15–30 min", "15-30 minutes", "45 min", "1 h 30 min", "1.5 h", "90", "1h30", "1–2 h", "45 min – 1 h 30 min", "15 to 30 MINUTES", "", "-", "3 weeks"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseTimeRange(s)
		if err != nil {
			return
		}
		if r.Min <= 0 || r.Min > r.Max || r.Max > maxMinutes {
			t.Fatalf("ParseTimeRange(%q) = %+v", s, r)
		}
		back, err := ParseTimeRange(r.String())
		if err != nil || back != r {
			t.Fatalf("ParseTimeRange(%q) = %+v shown as %q, which reads back as %+v, %v", s, r, r.String(), back, err)
		}
	})
}
