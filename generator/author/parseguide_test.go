package author

import "flipchart/generator/diag"

// ParseGuide reads a plain-text session guide, as Import does: its first
// session, its text kept for trainers reported.
func ParseGuide(file string, data []byte, diags *diag.List) (*Guide, *diag.Diagnostic) {
	doc, err := readPlain(file, data)
	if err != nil {
		return nil, readError(file, err)
	}
	m, d := ReadGuides(doc, diags)
	if d != nil {
		return nil, d
	}
	m.Report(diags, false)
	return m.Guides()[0], nil
}
