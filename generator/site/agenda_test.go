package site

import (
	"testing"

	"flipchart/generator/config"
	"flipchart/generator/content"
	"flipchart/generator/diag"
)

func TestParseClock(t *testing.T) {
	tests := []struct {
		in   string
		want Clock
		err  bool
	}{
		{"09:00", 9 * 60, false},
		{"9:00", 9 * 60, false},
		{"9", 9 * 60, false},
		{"14h30", 14*60 + 30, false},
		{"23:59", 23*60 + 59, false},
		{"00:00", 0, false},
		{"9 am", 9 * 60, false},
		{"2:30 pm", 14*60 + 30, false},
		{"12 pm", 12 * 60, false},
		{"12 am", 0, false},
		{"24:00", 0, true},
		{"9:60", 0, true},
		{"13 pm", 0, true},
		{"noon", 0, true},
		{"", 0, true},
		{"-1:00", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseClock(tt.in)
		if (err != nil) != tt.err || (!tt.err && got != tt.want) {
			t.Errorf("ParseClock(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestClockString(t *testing.T) {
	tests := []struct {
		c    Clock
		want string
	}{
		{9 * 60, "09:00"},
		{13*60 + 5, "13:05"},
		{24 * 60, "00:00 (+1)"},
		{24*60 + 90, "01:30 (+1)"},
		{48*60 + 15, "00:15 (+2)"},
	}
	for _, tt := range tests {
		if got := tt.c.String(); got != tt.want {
			t.Errorf("Clock(%d).String() = %q, want %q", tt.c, got, tt.want)
		}
	}
	if got := (ClockRange{9 * 60, 9*60 + 30}).String(); got != "09:00–09:30" {
		t.Errorf("range = %q", got)
	}
	if got := (ClockRange{10 * 60, 10 * 60}).String(); got != "10:00" {
		t.Errorf("fixed range = %q", got)
	}
}

// item makes a session or break of the given range, for schedule tests.
func item(title string, lo, hi int) *Item {
	return &Item{Title: title, Time: content.TimeRange{Min: lo, Max: hi}}
}

func TestSchedule(t *testing.T) {
	type span struct{ start, end string }
	tests := []struct {
		name  string
		start Clock
		items []*Item
		want  []span
		total string
		end   string
	}{
		{
			name:  "fixed times add up",
			start: 9 * 60,
			items: []*Item{item("a", 45, 45), item("break", 15, 15), item("b", 60, 60)},
			want:  []span{{"09:00", "09:45"}, {"09:45", "10:00"}, {"10:00", "11:00"}},
			total: "2 h", end: "11:00",
		},
		{
			name:  "ranges widen as the day goes on",
			start: 9 * 60,
			items: []*Item{item("a", 15, 30), item("b", 45, 60), item("lunch", 60, 60), item("c", 60, 90)},
			want: []span{
				{"09:00", "09:15–09:30"},
				{"09:15–09:30", "10:00–10:30"},
				{"10:00–10:30", "11:00–11:30"},
				{"11:00–11:30", "12:00–13:00"},
			},
			total: "3–4 h", end: "12:00–13:00",
		},
		{
			name:  "past noon",
			start: 11*60 + 30,
			items: []*Item{item("a", 45, 60), item("b", 30, 45)},
			want:  []span{{"11:30", "12:15–12:30"}, {"12:15–12:30", "12:45–13:15"}},
			total: "1 h 15 min – 1 h 45 min", end: "12:45–13:15",
		},
		{
			name:  "past midnight",
			start: 22 * 60,
			items: []*Item{item("night walk", 90, 120), item("debrief", 30, 60)},
			want:  []span{{"22:00", "23:30–00:00 (+1)"}, {"23:30–00:00 (+1)", "00:00 (+1)–01:00 (+1)"}},
			total: "2–3 h", end: "00:00 (+1)–01:00 (+1)",
		},
		{
			name:  "an empty day ends when it starts",
			start: 9 * 60,
			total: "", end: "09:00",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &Day{Start: tt.start, Items: tt.items}
			d.Schedule()
			for i, it := range d.Items {
				if got := (span{it.Start.String(), it.End.String()}); got != tt.want[i] {
					t.Errorf("item %d (%s): %v, want %v", i, it.Title, got, tt.want[i])
				}
			}
			if got := d.Total.String(); got != tt.total {
				t.Errorf("total %q, want %q", got, tt.total)
			}
			if got := d.End.String(); got != tt.end {
				t.Errorf("end %q, want %q", got, tt.end)
			}
		})
	}
}

// TestAgendaDays assembles a small manual with a two-day agenda.
func TestAgendaDays(t *testing.T) {
	files := map[string]string{
		"content/09-recommendations.md": "+++\ntitle = \"Recommendations\"\nsession = 9\ntime = \"45–60 min\"\n+++\n",
		"content/10-plans.md":           "+++\ntitle = \"Plans\"\nsession = 10\ntime = \"1 h\"\n+++\n",
		"content/11-next-steps.md":      "+++\ntitle = \"Next Steps\"\nsession = 11\ntime = \"15–30 min\"\n+++\n",
		"content/agenda.md": `+++
title = "Agenda"
type = "agenda"

[[days]]
title = "Monday"
start = "13:30"
sessions = [
  9,
  { break = "Tea", time = "15 min" },
  "next-steps",
]

[[days]]
start = "9:00"
sessions = [
  { session = 10 },
  "plans",
  42,
]
+++
`,
	}
	var c content.Content
	var diags diag.List
	for name, text := range files {
		if s := content.Parse(name, []byte(text), &diags); s != nil {
			c.Sources = append(c.Sources, s)
		}
	}
	s := Assemble(config.Default(), &c, Options{}, &diags)
	if len(s.Agendas) != 1 {
		t.Fatalf("%d agendas", len(s.Agendas))
	}
	a := s.Agendas[0].Schedule
	if len(a.Days) != 2 {
		t.Fatalf("%d days", len(a.Days))
	}
	mon := a.Days[0]
	if mon.Title != "Monday" || len(mon.Items) != 3 || mon.Items[2].Session.Session != 11 || !mon.Items[1].IsBreak() {
		t.Errorf("Monday = %+v", mon)
	}
	if got := mon.End.String(); got != "14:45–15:15" {
		t.Errorf("Monday ends %s, want 14:45–15:15", got)
	}
	tue := a.Days[1]
	if tue.Title != "" || tue.N != 2 || len(tue.Items) != 2 || tue.End.String() != "11:00" {
		t.Errorf("day 2 = %q (%d) with %d items ending %s; want no title, the page names it", tue.Title, tue.N, len(tue.Items), tue.End)
	}
	if got := len(a.Sessions()); got != 3 {
		t.Errorf("agenda sessions = %d, want 3 (each once)", got)
	}
	items := diags.Items()
	if len(items) != 1 || items[0].Line != 19 || items[0].Col != 3 || items[0].File != "content/agenda.md" {
		for _, d := range items {
			t.Log(d.Error())
		}
		t.Fatalf("want one error at content/agenda.md:19:3 for session 42")
	}
}
