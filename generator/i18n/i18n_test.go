package i18n

import "testing"

// lookup is a language's strings as a Lookup.
func lookup(m map[string]string) Lookup {
	return func(k string) string {
		if v, ok := m[k]; ok {
			return v
		}
		return k
	}
}

var english = map[string]string{
	"duration_min": "{n} min", "duration_h": "{n} h", "duration_h_min": "{h} h {m} min",
	"duration_range_min": "{from}–{to} min", "duration_range_h": "{from}–{to} h", "duration_range": "{from} – {to}",
	"clock": "15:04", "session_label": "Session {n}: {title}",
	"search_count.one": "{n} page found", "search_count.other": "{n} pages found", LangKey: "en",
}

var arabic = map[string]string{
	"duration_min.one": "دقيقة واحدة", "duration_min.two": "دقيقتان", "duration_min.few": "{n} دقائق",
	"duration_min.many": "{n} دقيقة", "duration_min.other": "{n} دقيقة",
	"duration_h.one": "ساعة واحدة", "duration_h.two": "ساعتان", "duration_h.few": "{n} ساعات", "duration_h.other": "{n} ساعة",
	"duration_h_min": "{hours} و{minutes}", "duration_range_min": "{from}–{to} دقيقة", "duration_range_h": "{from}–{to} ساعة",
	"duration_range": "{from} – {to}", "clock": "15:04", "digits": "٠١٢٣٤٥٦٧٨٩", "session_label": "الجلسة {n}: {title}", LangKey: "ar",
}

func TestDuration(t *testing.T) {
	en, ar := lookup(english), lookup(arabic)
	for _, c := range []struct {
		t        Lookup
		min, max int
		want     string
	}{
		{en, 0, 0, ""},
		{en, 45, 45, "45 min"},
		{en, 90, 90, "1 h 30 min"},
		{en, 15, 30, "15–30 min"},
		{en, 60, 120, "1–2 h"},
		{en, 45, 150, "45 min – 2 h 30 min"},
		{ar, 15, 30, "١٥–٣٠ دقيقة"},
		{ar, 60, 60, "ساعة واحدة"},
		{ar, 120, 120, "ساعتان"},
		{ar, 300, 300, "٥ ساعات"},
		{ar, 90, 90, "ساعة واحدة و٣٠ دقيقة"},
		{ar, 5, 5, "٥ دقائق"},
	} {
		if got := Duration(c.t, c.min, c.max); got != c.want {
			t.Errorf("Duration(%d, %d) = %q, want %q", c.min, c.max, got, c.want)
		}
	}
}

func TestPluralAndNumbers(t *testing.T) {
	en, ar := lookup(english), lookup(arabic)
	if got := Plural(en, "en", "search_count", 1); got != "1 page found" {
		t.Errorf("got %q", got)
	}
	if got := Plural(en, "en", "search_count", 3); got != "3 pages found" {
		t.Errorf("got %q", got)
	}
	if got := Clock(ar, 9*60+5); got != "٠٩:٠٥" {
		t.Errorf("Clock in Arabic = %q", got)
	}
	if got := Clock(lookup(map[string]string{"clock": "3:04 PM"}), 14*60+30); got != "2:30 PM" {
		t.Errorf("Clock in 12 hours = %q", got)
	}
	if got := SessionLabel(ar, 11, "الخطوات التالية"); got != "الجلسة\u00a0١١: الخطوات التالية" {
		t.Errorf("SessionLabel = %q", got)
	}
	for _, c := range []struct {
		lang string
		n    int
		want string
	}{
		{"en", 1, "one"}, {"en", 0, "other"}, {"fr", 0, "one"}, {"fr", 2, "other"},
		{"ar", 0, "zero"}, {"ar", 2, "two"}, {"ar", 7, "few"}, {"ar", 11, "many"}, {"ar", 100, "other"}, {"ar", 103, "few"},
		{"ru", 1, "one"}, {"ru", 21, "one"}, {"ru", 3, "few"}, {"ru", 12, "many"}, {"ru", 5, "many"},
		{"es", 1000000, "many"}, {"ja", 1, "other"}, {"pt-br", 0, "one"},
	} {
		if got := PluralCategory(c.lang, c.n); got != c.want {
			t.Errorf("PluralCategory(%s, %d) = %s, want %s", c.lang, c.n, got, c.want)
		}
	}
}
