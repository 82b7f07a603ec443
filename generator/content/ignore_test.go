package content

import "testing"

func TestIgnored(t *testing.T) {
	ignored := []string{
		".swp", ".x.md.swp", "x.md~", "#x.md#", ".#x.md", "4913", "5036",
		"x___jb_tmp___", "x___jb_old___", ".goutputstream-Q1W2E3", ".DS_Store",
		"x.tmp", "x.vsctmp", "x.crswap", "xAbCdEf.bck", "~$x.docx", "",
		"x.bak", "X.BAK", "~WRL0001.tmp", "nppBackup", "Thumbs.db", "desktop.ini",
		"x.md.sb-7c8e2d1f-Qp3RtZ", ".dat.nosync3c1e.Gk2Wd1",
	}
	kept := []string{
		"x.md", "bak", "x.bakery", "x.sb-", "x.md.sb-", "x.md.sb-1f", "sb-1f-aB", "4914", "5037", "+5036", "4913.md", "tmp", "x.tmpl",
		"swp", "x.svg", "x.swf", "about~me.md", "x#y.md", "49130",
	}
	for _, n := range ignored {
		if !Ignored(n) {
			t.Errorf("Ignored(%q) = false, want true", n)
		}
	}
	for _, n := range kept {
		if Ignored(n) {
			t.Errorf("Ignored(%q) = true, want false", n)
		}
	}
}
