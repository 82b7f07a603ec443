package watch

import "testing"

func TestClassify(t *testing.T) {
	tests := []struct {
		rel  string
		want Kind
	}{
		// Content and assets.
		{"content/_index.md", Content},
		{"content/about.md", Content},
		{"content/day-3/11-next-steps.md", Content},
		{"content/day-3/sub/deep/x.md", Content},
		{"content/day-3/flipchart.png", Asset},
		{"content/day-3/handout.pdf", Asset},
		{"content/day-3/notes.MD", Asset},            // the content loader matches .md exactly
		{"content/style.css", Asset},                 // under content/, a .css is an asset
		{"content/day-3/notes.sb-ready.md", Content}, // not a safe-save temporary
		{"content/day-3/x.md.sb-12-", Asset},
		{"content/day-3/x.md.sb-zz-Ab12", Asset},
		{"content/day-3/Thumbs.db.md", Content},
		{"content/nppBackupNotes/x.md", Content},
		{"content/day-3/4912", Asset},
		{"content/day-3/5000", Asset},
		{"content/day-3/04913", Asset},
		{"content/day-3/x.md.Ab12Cd", Asset}, // Qt's save file: cannot be told apart
		{"content/day-3/image.svg", Asset},
		{"content/day-3/a.swf", Asset},

		// Layouts and the site's UI strings.
		{"layouts/session.html", Layout},
		{"layouts/partials/nav.html", Layout},
		{"i18n/fr.toml", Layout},

		// Themes.
		{"themes/default/layouts/session.html", Theme},
		{"themes/default/i18n/en.toml", Theme},
		{"themes/default/theme.toml", Theme},
		{"themes/README", Theme},
		{"themes/default/static/css/site.css", StyleSheet},
		{"themes/default/static/print.CSS", StyleSheet},
		{"themes/default/static/img/logo.svg", Static},
		{"themes/default/static/js/app.js", Static},
		{"themes/default/layouts/static.css", Theme},

		// Site static files.
		{"static/site.css", StyleSheet},
		{"static/css/print.css", StyleSheet},
		{"static/img/logo.png", Static},
		{"static/fonts/x.woff2", Static},
		{"static/handout.css.map", Static},

		// Config.
		{"config.toml", Config},
		{"./config.toml", Config},
		{"content/config.toml", Asset},
		{"config.toml~", Ignored},
		{".config.toml.swp", Ignored},

		// Vim.
		{"content/day-3/.11-next-steps.md.swp", Ignored},
		{"content/day-3/.11-next-steps.md.swo", Ignored},
		{"content/day-3/.11-next-steps.md.swn", Ignored},
		{"content/day-3/.11-next-steps.md.swx", Ignored},
		{"content/day-3/11-next-steps.md.swp", Ignored}, // swap with 'directory' set to //
		{"content/day-3/11-next-steps.md~", Ignored},
		{"content/day-3/4913", Ignored},
		{"content/day-3/5036", Ignored}, // 4913 + 123: Vim's next probe name
		{"content/day-3/5159", Ignored},
		{"layouts/4913", Ignored},
		{"4913", Ignored},

		// Emacs.
		{"content/day-3/#11-next-steps.md#", Ignored},
		{"content/day-3/.#11-next-steps.md", Ignored},
		{"content/day-3/11-next-steps.md.~1~", Ignored},
		{"content/day-3/#draft", Ignored},

		// JetBrains safe write.
		{"content/day-3/11-next-steps.md___jb_tmp___", Ignored},
		{"content/day-3/11-next-steps.md___jb_old___", Ignored},
		{"layouts/session.html___jb_tmp___", Ignored},

		// gedit, GNOME.
		{"content/day-3/.goutputstream-7X2AQZ", Ignored},
		{"static/.goutputstream-ABCDEF", Ignored},

		// VS Code atomic writes, Chromium's File System Access.
		{"content/day-3/11-next-steps.md.vsctmp", Ignored},
		{"static/site.css.crswap", Ignored},

		// Helix moves the file aside while it saves.
		{"content/day-3/11-next-steps.mdHbCX9d.bck", Ignored},

		// Kate, nano, LibreOffice, MS Office, generic.
		{"content/day-3/.11-next-steps.md.kate-swp", Ignored},
		{"content/day-3/.~lock.handout.odt#", Ignored},
		{"static/~$handout.docx", Ignored},
		{"content/day-3/upload.tmp", Ignored},
		{"themes/default/layouts/x.html.tmp", Ignored},

		// Notepad++ backups: x.md.bak beside the file, or in nppBackup/.
		{"content/day-3/notes.bak", Ignored},
		{"content/day-3/11-next-steps.md.bak", Ignored},
		{"content/day-3/11-next-steps.md.BAK", Ignored},
		{"content/day-3/nppBackup/11-next-steps.md.2024-05-01_101010.bak", Ignored},
		{"content/day-3/nppBackup/11-next-steps.md", Ignored},
		{"layouts/NPPBACKUP/session.html", Ignored},
		{"content/day-3/nppBackup", Ignored},

		// macOS safe save (TextEdit), AppleDouble and folder icons.
		{"content/day-3/11-next-steps.md.sb-7c8e2d1f-Qp3RtZ", Ignored},
		{"content/day-3/11-next-steps.md.sb-2A3B4C5D-a1", Ignored},
		{"content/day-3/.dat.nosync3c1e.Gk2Wd1", Ignored},
		{"content/day-3/._11-next-steps.md", Ignored},
		{"content/day-3/Icon\r", Ignored},

		// Word: owner files and temporaries.
		{"content/day-3/~$handout.docx", Ignored},
		{"content/day-3/~WRL1234.tmp", Ignored},
		{"content/day-3/~WRD0000.TMP", Ignored},

		// Windows and macOS folder files.
		{"content/Thumbs.db", Ignored},
		{"content/day-3/thumbs.db", Ignored},
		{"static/img/ehthumbs.db", Ignored},
		{"content/day-3/desktop.ini", Ignored},
		{"content/Desktop.ini", Ignored},

		// Hidden files and folders.
		{"content/.DS_Store", Ignored},
		{"content/day-3/.DS_Store", Ignored},
		{"content/.git/config", Ignored},
		{"content/day-3/.obsidian/workspace.json", Ignored},
		{"themes/default/.git/HEAD", Ignored},
		{".git/index", Ignored},
		{"static/.well-known/security.txt", Ignored},

		// Output and other folders, the root, paths outside the site.
		{"public/index.html", Ignored},
		{"public/day-3/index.html", Ignored},
		{"resources/_gen/x.css", Ignored},
		{"README.md", Ignored},
		{"Makefile", Ignored},
		{"notes.txt", Ignored},
		{"contents/x.md", Ignored},
		{"content", Ignored},
		{"static", Ignored},
		{"", Ignored},
		{".", Ignored},
		{"..", Ignored},
		{"../content/x.md", Ignored},
		{"content/../../x.md", Ignored},
		{"/etc/passwd", Ignored},
		{"/content/x.md", Ignored},
	}
	for _, tt := range tests {
		if got := Classify(tt.rel); got != tt.want {
			t.Errorf("Classify(%q) = %v, want %v", tt.rel, got, tt.want)
		}
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{Ignored: "ignored", Content: "content", StyleSheet: "stylesheet", Config: "config", Kind(42): "Kind(42)"} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", int(k), got, want)
		}
	}
}
