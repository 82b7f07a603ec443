package markup

import (
	"github.com/yuin/goldmark/ast"
)

// KindContainer is the node kind of a fenced container.
var KindContainer = ast.NewNodeKind("Container")

// Attr is one key="value" attribute of a container.
type Attr struct {
	Key, Value string
}

// Container is a fenced container block: `::: kind Title {key="value"}`,
// Markdown inside, `:::` to close. Containers nest.
type Container struct {
	ast.BaseBlock
	// Name is the container's kind, aliases resolved ("instructor" becomes
	// "facilitation"); Written is the kind as the author wrote it.
	Name, Written string
	Title         string
	Attrs         []Attr
	ID            string   // from {#id}
	IDOffset      int      // the byte offset of the id's # in the source
	Classes       []string // from {.class}
	// Offset is the byte offset of the opening fence in the source, End the
	// offset after the closing fence (0 when the container is not closed).
	Offset, End int
	// Fields are a worksheet's header fields ("name", "date"), set by the
	// worksheet transformer from its attribute or the site's default.
	Fields []string
	// Audience is the container's own audience attribute, AudienceTrainers
	// or AudienceParticipants, or "" when it has none and its kind decides.
	Audience string
	// FieldKeys are the storage keys of the header fields, one for each
	// of Fields.
	FieldKeys []string

	fence  int  // number of colons of the opening fence
	closed bool // a closing fence was seen
	// materialsForAll shows an exercise's materials to participants too
	// (Options.HandoutMaterials); otherwise they are for trainers only.
	materialsForAll bool
}

// TrainersOnly reports whether the container itself is for trainers only:
// its audience attribute says so, or it has none and its kind is for
// trainers (KindInfo.Trainers). A container inside one for trainers only is
// left out with it, whatever it says: see forTrainers.
func (c *Container) TrainersOnly() bool {
	switch c.Audience {
	case AudienceTrainers:
		return true
	case AudienceParticipants:
		return false
	}
	return Kinds[c.Name].Trainers
}

// forTrainers reports whether n is for trainers only: n or a container
// around it is. Trainers only wins over anything inside it.
func forTrainers(n ast.Node) bool {
	for p := n; p != nil; p = p.Parent() {
		if c, ok := p.(*Container); ok && c.TrainersOnly() {
			return true
		}
	}
	return false
}

// Attr returns the value of an attribute, or "".
func (c *Container) Attr(key string) string {
	for _, a := range c.Attrs {
		if a.Key == key {
			return a.Value
		}
	}
	return ""
}

// Kind implements ast.Node.
func (c *Container) Kind() ast.NodeKind { return KindContainer }

// Dump implements ast.Node.
func (c *Container) Dump(source []byte, level int) {
	m := map[string]string{"Kind": c.Name, "Title": c.Title}
	for _, a := range c.Attrs {
		m["attr:"+a.Key] = a.Value
	}
	ast.DumpHelper(c, source, level, m, nil)
}
