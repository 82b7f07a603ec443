package markup

import (
	"sort"
	"strings"

	"flipchart/generator/meta"
)

// KindInfo describes a container kind: what it is called and how it renders.
type KindInfo struct {
	Name  string // the kind as written: "exercise"
	Label string // its heading when it has no title: "Exercise"
	// Element is the HTML element: "section" for a part of the session,
	// "aside" for a note beside it, "details" for something folded away.
	Element string
	// Trainers is the kind's default audience: true for content meant for
	// trainers only, which participant handouts, the participants' edition
	// and worksheet pages leave out. A container overrides it with
	// {audience="trainers"} or {audience="participants"}; this table is the
	// one place that says which kinds are for trainers.
	Trainers bool
	// Attrs lists the attributes the kind understands; any other is an error.
	Attrs []string
}

// Kinds are the container kinds flipchart knows.
var Kinds = map[string]KindInfo{
	"exercise":     {Label: "Exercise", Element: "section", Attrs: []string{"format", "time", "materials"}},
	"objectives":   {Label: "Objectives", Element: "section"},
	"adaptation":   {Label: "Adaptation notes", Element: "aside", Trainers: true},
	"facilitation": {Label: "Facilitation notes", Element: "aside", Trainers: true},
	"keypoints":    {Label: "Key points", Element: "section", Trainers: true},
	"preparation":  {Label: "Preparation", Element: "aside", Trainers: true},
	"worksheet":    {Label: "Worksheet", Element: "section", Attrs: []string{"fields"}},
	"handout":      {Label: "Handout", Element: "section"},
	"note":         {Label: "Note", Element: "aside"},
	"tip":          {Label: "Tip", Element: "aside"},
	"warning":      {Label: "Warning", Element: "aside"},
	"summary":      {Label: "Summary", Element: "section"},
	"discussion":   {Label: "Discussion", Element: "section", Attrs: []string{"time"}},
	"solution":     {Label: "Solution", Element: "details", Trainers: true},
	"break":        {Label: "Break", Element: "aside", Attrs: []string{"time"}},
	// The parts of a worksheet: see worksheet.go.
	"columns": {Label: "Columns", Element: "div"},
	"column":  {Label: "Column", Element: "section"},
	"table":   {Label: "Table", Element: "div", Attrs: []string{"rows"}},
	"lines":   {Label: "Lines", Element: "div", Attrs: []string{"count"}},
}

// aliases maps the names of The Carpentries' lessons and other spellings to
// flipchart's kinds.
var aliases = map[string]string{
	"challenge":         "exercise",
	"instructor":        "facilitation",
	"facilitator":       "facilitation",
	"callout":           "note",
	"key-points":        "keypoints",
	"keypoint":          "keypoints",
	"caution":           "warning",
	"adaptation-notes":  "adaptation",
	"facilitator-notes": "facilitation",
	"trainer-notes":     "facilitation",
	"prep":              "preparation",
	"preparation-notes": "preparation",
}

// AudienceAttr is the attribute any container takes to say who it is for,
// overriding its kind's default: AudienceTrainers or AudienceParticipants.
const (
	AudienceAttr         = "audience"
	AudienceTrainers     = "trainers"
	AudienceParticipants = "participants"
)

func init() {
	for name, k := range Kinds {
		k.Name = name
		Kinds[name] = k
	}
}

// LookupKind resolves a kind as written, aliases included.
func LookupKind(written string) (KindInfo, bool) {
	if a, ok := aliases[written]; ok {
		written = a
	}
	k, ok := Kinds[written]
	return k, ok
}

// KindNames lists the known kinds, sorted, for messages.
func KindNames() []string {
	out := make([]string, 0, len(Kinds))
	for k := range Kinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// closestKind returns the known kind spelled most like s, or "".
func closestKind(s string) string {
	return meta.Suggest(strings.ToLower(s), append(KindNames(), "challenge", "instructor", "callout", "prep"))
}
