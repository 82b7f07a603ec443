package build_test

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"flipchart/generator/build"
)

// Shrinking a failure of the randomized test: each step's files are kept
// (randomRun.records), and a failing run is replayed from a fresh folder
// with fewer steps, each writing the files its step of the run left and
// handing the changed paths to a new Live, keeping a shorter sequence
// whenever it still fails, in any way (see ddmin). The failure then names
// the few steps that make it.
var (
	shrinkTime    = flag.Duration("random.shrinktime", time.Minute, "longest time a failure of TestLiveEqualsFullBuild is shrunk for")
	shrinkReplays = flag.Int("random.shrinkreplays", 300, "most replays a failure of TestLiveEqualsFullBuild is shrunk with")
)

// shrunk is what shrinking a failure found.
type shrunk struct {
	keep       []int    // the steps kept, by their number in the run
	failure    *failure // how they fail, the step counted in keep
	reproduced bool     // the whole run replayed fails too
	cut        bool     // the budget ended the shrinking
	replays    int
	took       time.Duration
}

// replay writes the starting site into a fresh folder and builds it, then
// writes the files the run's steps keep left, one step after the other, each
// a batch of changes handed to the live site and compared with a full build
// as in the run. It returns the first failure, its step counted in keep.
func (r *randomRun) replay(keep []int) *failure {
	dir, err := os.MkdirTemp("", "flipchart-replay-")
	if err != nil {
		r.t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	q := &randomRun{t: r.t, seed: r.seed, written: map[string]string{}, deferPrints: r.deferPrints, fault: r.fault}
	q.begin(dir, r.records[0].files, false)
	defer q.closeSrc()
	for n, k := range keep {
		rec := r.records[k]
		changes := q.write(rec.files)
		inOrder(changes, rec.order)
		q.apply(n+1, changes, func() bool { return rec.lazy })
		if q.failure != nil {
			return q.failure
		}
	}
	if q.printsLazy {
		q.compare(len(keep), "the live site's print editions, asked after the last step", files(q.good), q.goodFull)
	}
	return q.failure
}

// inOrder sorts changes as the run handed over the paths of order, and
// those it did not after them, by path.
func inOrder(changes []build.Change, order []string) {
	at := map[string]int{}
	for i, p := range order {
		at[p] = i
	}
	rank := func(c build.Change) int {
		if i, ok := at[c.Path]; ok {
			return i
		}
		return len(order)
	}
	sort.SliceStable(changes, func(i, j int) bool { return rank(changes[i]) < rank(changes[j]) })
}

// shrink looks for a short sequence of the run's steps that fails, within
// the budget of -random.shrinktime and -random.shrinkreplays.
func (r *randomRun) shrink(f *failure) *shrunk {
	s := &shrunk{failure: f}
	start := time.Now()
	defer func() { s.took = time.Since(start) }()
	try := func(c []int) (int, bool) {
		if s.replays >= *shrinkReplays || time.Since(start) > *shrinkTime {
			s.cut = true
			return 0, false
		}
		s.replays++
		g := r.replay(c)
		if g == nil {
			return 0, true
		}
		s.failure = g // ddmin keeps every sequence that fails
		return g.step, true
	}
	steps := make([]int, f.step)
	for i := range steps {
		steps[i] = i + 1
	}
	s.keep = steps
	// Only what each step left on disk is replayed: first check that it is
	// enough to fail again.
	n, ok := try(steps)
	if !ok || n == 0 {
		return s
	}
	s.reproduced = true
	s.keep = ddmin(steps[:n], try)
	return s
}

// ddmin shrinks a sequence of steps that fails by delta debugging: it
// drops a chunk of steps, halves first, then quarters and so on down to
// single steps, and keeps every shorter sequence that still fails, until no
// step can be dropped or the budget is spent. try replays a sequence and
// returns how many of its steps it took to fail (those after are dropped
// too), 0 when it passed; ok is false when the budget is spent.
func ddmin(steps []int, try func([]int) (failedAt int, ok bool)) []int {
	keep := steps
	attempt := func(c []int) (reduced, ok bool) {
		n, ok := try(c)
		if ok && n > 0 {
			keep = slices.Clone(c[:n])
			return true, true
		}
		return false, ok
	}
	// A fault mostly needs the failing step and little before it: the last
	// step alone, then the last two, before the search.
	if len(keep) > 1 {
		reduced, ok := attempt(keep[len(keep)-1:])
		if !ok {
			return keep
		}
		if !reduced && len(keep) > 2 {
			if _, ok := attempt(keep[len(keep)-2:]); !ok {
				return keep
			}
		}
	}
	n := 2
	for len(keep) >= 2 {
		chunk := (len(keep) + n - 1) / n
		reduced := false
		for lo := 0; lo < len(keep); lo += chunk {
			c := slices.Concat(keep[:lo], keep[min(lo+chunk, len(keep)):])
			red, ok := attempt(c)
			if !ok {
				return keep
			}
			if red {
				reduced = true
				n = max(n-1, 2)
				break
			}
		}
		if !reduced {
			if n >= len(keep) {
				break
			}
			n = min(2*n, len(keep))
		}
	}
	return keep
}

// report shrinks a failure of the run and describes it.
func (r *randomRun) report(f *failure) string {
	var s *shrunk
	if f.step > 0 && len(r.records) > f.step {
		s = r.shrink(f)
	}
	return r.describe(f, s)
}

// describe says what failed: the seed, the failing step and the last steps
// before it, the shortest failing sequence found, and how to replay the run.
func (r *randomRun) describe(f *failure, s *shrunk) string {
	var b strings.Builder
	fmt.Fprintf(&b, "seed %d, step %d: %s\n", r.seed, f.step, f.msg)
	if f.more > 0 {
		fmt.Fprintf(&b, "(and %d more differences at that step)\n", f.more)
	}
	log := r.log[max(0, len(r.log)-8):]
	fmt.Fprintf(&b, "the last steps of the run:\n%s\n", strings.Join(log, "\n"))
	switch {
	case s == nil:
	case !s.reproduced && s.cut:
		b.WriteString("\nnot shrunk: no time was left to replay the run\n")
	case !s.reproduced:
		b.WriteString("\nnot shrunk: replayed from a fresh folder with the files each step left, the run passes; the fault hangs on something the files do not hold\n")
	default:
		how := ""
		if s.cut {
			how = ", stopped there by -random.shrinktime or -random.shrinkreplays"
		}
		fmt.Fprintf(&b, "\nshrunk to %d of its %d steps (%d replays in %s%s).\n", len(s.keep), f.step, s.replays, s.took.Round(time.Millisecond), how)
		b.WriteString("From the starting site, each step writes the files the run's step left and hands the changed paths to Live.Apply:\n")
		prev, last := r.records[0].files, 0
		for n, k := range s.keep {
			rec := r.records[k]
			also := ""
			switch {
			case k == last+2:
				also = fmt.Sprintf(", with what step %d changed", k-1)
			case k > last+2:
				also = fmt.Sprintf(", with what steps %d–%d changed", last+1, k-1)
			}
			fmt.Fprintf(&b, "%d. step %d%s: %s\n", n+1, k, also, rec.desc)
			b.WriteString(fileChanges(prev, rec.files))
			prev, last = rec.files, k
		}
		fmt.Fprintf(&b, "which fails at its step %d: %s\n", s.failure.step, s.failure.msg)
	}
	fmt.Fprintf(&b, "\nreplay: go test ./generator/build/ -run 'TestLiveEqualsFullBuild$' -random.seed=%d -random.steps=%d", r.seed, f.step)
	return b.String()
}

// fileChanges lists the files that differ between two states of the site,
// with the lines that changed.
func fileChanges(before, after map[string]string) string {
	var names []string
	for n, text := range after {
		if old, ok := before[n]; !ok || old != text {
			names = append(names, n)
		}
	}
	for n := range before {
		if _, ok := after[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		old, had := before[n]
		text, has := after[n]
		switch {
		case !has:
			fmt.Fprintf(&b, "     - %s (deleted)\n", n)
			continue
		case !had:
			fmt.Fprintf(&b, "     + %s (new)\n", n)
		default:
			fmt.Fprintf(&b, "     ~ %s\n", n)
		}
		if !utf8.ValidString(text) || strings.ContainsRune(text, 0) {
			fmt.Fprintf(&b, "         (%d bytes)\n", len(text))
			continue
		}
		b.WriteString(lineChanges(old, text))
	}
	return b.String()
}

// lineChanges shows the lines taken out and put in, a few of each file.
func lineChanges(before, after string) string {
	lines := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	}
	o, a := lines(before), lines(after)
	var b strings.Builder
	shown := 0
	line := func(sign, l string) {
		if shown++; shown <= 8 {
			fmt.Fprintf(&b, "         %s%s\n", sign, clip(l))
		}
	}
	// The longest common subsequence of lines: the files are small.
	if len(o)*len(a) > 1<<20 {
		o, a = o[:min(len(o), 8)], a[:min(len(a), 8)]
	}
	lcs := make([][]int, len(o)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(a)+1)
	}
	for i := len(o) - 1; i >= 0; i-- {
		for j := len(a) - 1; j >= 0; j-- {
			if o[i] == a[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(o) || j < len(a) {
		switch {
		case i < len(o) && j < len(a) && o[i] == a[j]:
			i, j = i+1, j+1
		case i < len(o) && (j == len(a) || lcs[i+1][j] >= lcs[i][j+1]):
			line("-", o[i])
			i++
		default:
			line("+", a[j])
			j++
		}
	}
	if shown > 8 {
		fmt.Fprintf(&b, "         … %d more lines\n", shown-8)
	}
	return b.String()
}

// TestLiveShrinkDDMin checks the search on sequences whose failure is known:
// it finds exactly the steps a failure needs.
func TestLiveShrinkDDMin(t *testing.T) {
	seq := func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i + 1
		}
		return out
	}
	// needs fails once a sequence holds all of the steps want, at the
	// step that completes them.
	needs := func(want ...int) func([]int) (int, bool) {
		return func(c []int) (int, bool) {
			seen := 0
			for i, k := range c {
				if slices.Contains(want, k) {
					if seen++; seen == len(want) {
						return i + 1, true
					}
				}
			}
			return 0, true
		}
	}
	for _, tt := range []struct {
		steps int
		want  []int
	}{
		{60, []int{60}},
		{60, []int{59, 60}},
		{42, []int{17, 42}},
		{300, []int{1, 150, 299}},
		{2000, []int{3, 1234}},
	} {
		calls := 0
		try := needs(tt.want...)
		got := ddmin(seq(tt.steps), func(c []int) (int, bool) { calls++; return try(c) })
		if !slices.Equal(got, tt.want) {
			t.Errorf("%d steps, failing with %v: shrunk to %v", tt.steps, tt.want, got)
		}
		if calls > 12*len(tt.want)*(1+bitsOf(tt.steps)) {
			t.Errorf("%d steps, failing with %v: %d replays", tt.steps, tt.want, calls)
		}
	}
	// A spent budget ends the search with a sequence that fails.
	for budget := range 12 {
		calls := 0
		try := needs(5, 70, 90)
		got := ddmin(seq(90), func(c []int) (int, bool) {
			if calls++; calls > budget {
				return 0, false
			}
			return try(c)
		})
		if n, _ := try(got); n == 0 || calls > budget+1 {
			t.Errorf("with a budget of %d replays: %d replays, and %v fails: %v", budget, calls, got, n > 0)
		}
	}
}

func bitsOf(n int) int {
	b := 0
	for ; n > 0; n >>= 1 {
		b++
	}
	return b
}

// TestLiveShrinks checks the shrinker on the live site with a fake fault:
// a step fails when it writes layouts/partials/footer.html anew while a
// session, unchanged by the step, says level = "advanced" in [params]. The
// starting site has neither, so a failure takes two steps at least, and
// two are enough: a run that fails after many must shrink to two, which
// fail again with the fake fault and pass without it.
func TestLiveShrinks(t *testing.T) {
	const foot = "layouts/partials/footer.html"
	fault := func(before, after map[string]string) string {
		if after[foot] == "" || after[foot] == before[foot] {
			return ""
		}
		for name, text := range before {
			if strings.HasPrefix(name, "content/") && strings.Contains(text, `level = "advanced"`) && after[name] == text {
				return foot + " written while " + name + " says level advanced"
			}
		}
		return ""
	}
	for seed := uint64(1); seed <= 20; seed++ {
		r := newRandomRun(t, seed)
		r.fault = fault
		f := r.run(200)
		if f == nil || f.step < 10 {
			continue
		}
		if !strings.HasPrefix(f.msg, "a fake fault") {
			t.Fatalf("a real fault, not the fake one:\n%s", r.report(f))
		}
		s := r.shrink(f)
		text := r.describe(f, s)
		if !s.reproduced || len(s.keep) != 2 || !strings.HasPrefix(s.failure.msg, "a fake fault") {
			t.Fatalf("shrunk to %v, reproduced %v:\n%s", s.keep, s.reproduced, text)
		}
		for _, want := range []string{
			fmt.Sprintf("seed %d, step %d: a fake fault", seed, f.step),
			fmt.Sprintf("shrunk to 2 of its %d steps", f.step),
			fmt.Sprintf("2. step %d", s.keep[1]),
			fmt.Sprintf("-random.seed=%d -random.steps=%d", seed, f.step),
		} {
			if !strings.Contains(text, want) {
				t.Errorf("the report lacks %q:\n%s", want, text)
			}
		}
		if _, step2, _ := strings.Cut(text, "\n2. step"); !strings.Contains(step2, " "+foot) {
			t.Errorf("the report does not say the second step writes %s:\n%s", foot, text)
		}
		if g := r.replay(s.keep); g == nil || g.step != 2 {
			t.Errorf("the shrunk steps %v replayed again: %v", s.keep, g)
		}
		r.fault = nil
		if g := r.replay(s.keep); g != nil {
			t.Errorf("the shrunk steps %v fail without the fake fault: %s", s.keep, g.msg)
		}
		t.Logf("seed %d: step %d of the run shrunk to steps %v in %d replays (%s)", seed, f.step, s.keep, s.replays, s.took.Round(time.Millisecond))
		return
	}
	t.Fatal("no run of 20 seeds met the fake fault after step 10 and within 200 steps")
}
