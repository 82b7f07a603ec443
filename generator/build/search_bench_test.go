//go:build unix

package build_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkSearchCost measures what search adds to a cold build: the
// corpus of BenchmarkBuild is built with search and with [search] enabled
// = false, in turn (which goes first alternating), each in its own child
// process as flipchart build runs.
// Reported: both builds' seconds and the ratio of their wall times
// (x-without) and CPU times (cpu-x-without): the index, the search page and
// the search field on every page together. The goal is at most 1.15, at
// every size, with peak memory (peak-MB, the build with search) no higher
// than without (peak-x-without).
func BenchmarkSearchCost(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			with := benchCorpora.get(b, n)
			without := filepath.Join(b.TempDir(), "site")
			if err := os.CopyFS(without, os.DirFS(with)); err != nil {
				b.Fatal(err)
			}
			cfg := filepath.Join(without, "config.toml")
			data, err := os.ReadFile(cfg)
			if err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(cfg, append(data, "\n[search]\nenabled = false\n"...), 0o644); err != nil {
				b.Fatal(err)
			}
			pages := benchSourcePages(n)
			tmp := b.TempDir()
			var on, off benchRun
			var peakOn, peakOff int64
			i := 0
			runOff := func() {
				r := benchRunChild(b, "build", without, filepath.Join(tmp, fmt.Sprintf("off-%d", i)), pages)
				off.wall, off.cpu, peakOff = off.wall+r.wall, off.cpu+r.cpu, max(peakOff, r.peakKB)
			}
			runOn := func() {
				r := benchRunChild(b, "build", with, filepath.Join(tmp, fmt.Sprintf("on-%d", i)), pages)
				on.wall, on.cpu, peakOn = on.wall+r.wall, on.cpu+r.cpu, max(peakOn, r.peakKB)
			}
			for b.Loop() {
				// In turn which goes first, so that a machine whose speed
				// drifts over the run favours neither.
				if i%2 == 0 {
					runOff()
					runOn()
				} else {
					runOn()
					runOff()
				}
				i++
			}
			b.ReportMetric(on.wall.Seconds()/float64(i), "with-s")
			b.ReportMetric(off.wall.Seconds()/float64(i), "without-s")
			b.ReportMetric(on.wall.Seconds()/off.wall.Seconds(), "x-without")
			b.ReportMetric(on.cpu.Seconds()/off.cpu.Seconds(), "cpu-x-without")
			b.ReportMetric(float64(peakOn)*1024/1e6, "peak-MB")
			b.ReportMetric(float64(peakOn)/float64(peakOff), "peak-x-without")
		})
	}
}
