package render

import (
	"reflect"
	"testing"

	"flipchart/generator/site"
)

// The fields of .Site that hold pages are named as the fields of site.Site
// they come from, so that a template naming one (see Renderer.Shows) is
// found by the name site.Diff gives what changed (site.Changes.Lists).
func TestSiteDataListsAreTheSites(t *testing.T) {
	page := reflect.TypeFor[*site.Page]()
	holdsPages := func(t reflect.Type) bool { return t == page || t == reflect.SliceOf(page) }
	st := reflect.TypeFor[site.Site]()
	dt := reflect.TypeFor[siteData]()
	for i := range dt.NumField() {
		f := dt.Field(i)
		if !f.IsExported() || !holdsPages(f.Type) {
			continue
		}
		if g, ok := st.FieldByName(f.Name); !ok || g.Type != f.Type {
			t.Errorf(".Site.%s holds pages, but site.Site has no field %s of type %s", f.Name, f.Name, f.Type)
		}
	}
	pt := reflect.TypeFor[*siteData]()
	for i := range pt.NumMethod() {
		m := pt.Method(i)
		if m.Type.NumOut() != 1 || !holdsPages(m.Type.Out(0)) {
			continue
		}
		if g, ok := st.FieldByName(m.Name); !ok || g.Type != m.Type.Out(0) {
			t.Errorf(".Site.%s returns pages, but site.Site has no field %s of that type", m.Name, m.Name)
		}
	}
}
