package pdf

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Status is how a call of Print goes, for a display that keeps it up to
// date (flipchart pdf's line on a terminal).
type Status struct {
	Files, Done int // PDFs to print, and printed
	Pages       int // pages of the PDFs printed
	Elapsed     time.Duration
	// Left is the time still needed, guessed from the HTML printed so far
	// and still to print; 0 until something is printed.
	Left time.Duration
}

// progress follows a call of Print. Its work is the pages' HTML, each
// page's counted once for each print it is likely to need.
type progress struct {
	opt   Options
	start time.Time

	mu         sync.Mutex
	work, done int // bytes of HTML to print, and printed
	status     Status
}

func newProgress(jobs []Job, opt Options) *progress {
	p := &progress{opt: opt, start: time.Now(), status: Status{Files: len(jobs)}}
	for _, job := range jobs {
		p.work += guessWork(job)
	}
	return p
}

// guessWork is the size of a job's page, twice when it shows page numbers
// or starts pages on the right (it is printed twice, at least), which its
// beginning says: the contents come first. The page is read in full once,
// when it is printed.
func guessWork(job Job) int {
	u, err := url.Parse(job.URL)
	if err != nil || u.Scheme != "file" {
		return 1
	}
	f, err := os.Open(filepath.FromSlash(u.Path))
	if err != nil {
		return 1
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 1
	}
	head := make([]byte, min(fi.Size(), 256<<10))
	n, _ := io.ReadFull(f, head)
	if head = head[:n]; bytes.Contains(head, []byte("data-fc-page")) || bytes.Contains(head, []byte("data-fc-recto")) {
		return 2 * int(fi.Size())
	}
	return int(fi.Size())
}

// printed counts one print of a part of a job's page, of so many bytes.
func (p *progress) printed(job Job, part *printedPart, size int) {
	if part == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += size
	p.work = max(p.work, p.done)
	p.tell()
}

// jobDone counts a PDF written, of so many pages.
func (p *progress) jobDone(job Job, pages int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.status.Done++
	p.status.Pages += pages
	if p.opt.Progress != nil {
		name := job.Name
		if name == "" {
			name = job.Out
		}
		fmt.Fprintf(p.opt.Progress, "[%d/%d] %s (%d %s)\n", p.status.Done, p.status.Files, name, pages, plural(pages, "page"))
	}
	p.tell()
}

// tell gives the status to opt.Status.
func (p *progress) tell() {
	if p.opt.Status == nil {
		return
	}
	s := p.status
	s.Elapsed = time.Since(p.start)
	if p.done > 0 {
		s.Left = time.Duration(float64(s.Elapsed) * float64(p.work-p.done) / float64(p.done))
	}
	p.opt.Status(s)
}
