// Package themes embeds the default theme in the flipchart binary, so a site
// with no themes/ folder of its own still builds. It is the only Go file
// outside generator/: Go's embed reaches only files below the package's
// folder, and one copy of the theme is better than two.
package themes

import "embed"

// Default is the default theme: layouts/, static/ and i18n/.
//
//go:embed all:default
var Default embed.FS
