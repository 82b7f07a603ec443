package build_test

// Worksheet tests: the demo's Session 11 worksheet, opened on its own page
// from file:// in a headless Chromium, filled in, reloaded, downloaded,
// cleared and printed, the way a participant would. Like the other browser
// tests they skip without Chromium unless REQUIRE_BROWSER=1.

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"flipchart/generator/browser"
	"flipchart/generator/site"
)

// The fields the tests fill in, and what they type.
const (
	wsName      = `form.worksheet-form input[name="name"]`
	wsCell      = `form.worksheet-form textarea[aria-label="Who, row 2"]`
	wsLine      = `form.worksheet-form textarea.fc-lines`
	wsBox       = `form.worksheet-form li > input[type="checkbox"]`
	wsNameText  = "Ada Lovelace"
	wsCellText  = "Amina and the board"
	wsLineText  = "Turn on two-factor login for the shared mailbox"
	wsAnswersMD = "next-steps-answers.md"
)

// webWorksheet returns the demo's worksheet of Session 11, on its own page.
func webWorksheet(t testing.TB, s *site.Site) *site.Page {
	t.Helper()
	s11 := webSession(t, s, 11)
	for _, w := range s.WorksheetPages {
		if w.Of == s11 {
			return w
		}
	}
	t.Fatalf("session 11 has no worksheet page (worksheet pages: %d)", len(s.WorksheetPages))
	return nil
}

// webReload reloads the tab and waits for the new page's load event; the
// listener is in place before the reload starts.
func webReload(ctx context.Context) error {
	_, err := webGet(ctx, chromedp.WaitEvent(page.LoadEventFired, nil,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, page.Reload, page.ReloadParams{})
			return err
		})))
	return err
}

// wsState is what the page holds: the fields' values in DOM order, which
// checkboxes are ticked, the status line and this worksheet's storage keys.
type wsState struct {
	Name    string   `json:"name"`
	Cell    string   `json:"cell"`
	Line    string   `json:"line"`
	Box     bool     `json:"box"`
	Filled  []string `json:"filled"` // the fields that hold anything
	Keys    []string `json:"keys"`   // the storage keys of this worksheet
	Status  string   `json:"status"`
	Tools   bool     `json:"tools"` // the tools group is shown
	Visible bool     `json:"visible"`
}

const wsStateJS = `(() => {
	const page = document.querySelector("article.worksheet-page[data-worksheet]");
	const form = page.querySelector("form.worksheet-form");
	const ws = page.dataset.worksheet;
	const q = (s) => document.querySelector(s);
	const filled = [...form.querySelectorAll("input, textarea, select")]
		.filter(el => el.type === "checkbox" || el.type === "radio" ? el.checked : el.value !== "")
		.map(el => el.getAttribute("aria-label") || el.name || el.type);
	const store = page.dataset.storage === "device" ? localStorage : sessionStorage;
	const keys = [];
	for (let i = 0; i < store.length; i++) {
		const k = store.key(i);
		if (k.includes(ws)) keys.push(k);
	}
	const tools = page.querySelector(".worksheet-tools");
	return {
		name: q(` + "`" + wsName + "`" + `).value,
		cell: q(` + "`" + wsCell + "`" + `).value,
		line: q(` + "`" + wsLine + "`" + `).value,
		box: q(` + "`" + wsBox + "`" + `).checked,
		filled, keys,
		status: (page.querySelector(".worksheet-tools [role=status]") || {}).textContent || "",
		tools: !tools.hidden,
		visible: tools.getBoundingClientRect().height > 0,
	};
})()`

func wsRead(t *testing.T, ctx context.Context, when string) wsState {
	t.Helper()
	st, err := webGet(ctx, chromedp.Evaluate[wsState](wsStateJS))
	if err != nil {
		t.Fatalf("reading the worksheet %s: %v", when, err)
	}
	return st
}

// TestWorksheetFillReloadDownloadClear fills in the worksheet from file://,
// reloads it and finds the answers kept, downloads them as Markdown through
// the browser's own download, clears them, and checks that the whole visit
// requested nothing but local files.
func TestWorksheetFillReloadDownloadClear(t *testing.T) {
	dir, res := webBuildDemo(t)
	ws := webWorksheet(t, res.Site)
	ctx := browser.ForTest(t)
	rec := webRecord(t, ctx)

	downloads := t.TempDir()
	yes := true
	if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads, EventsEnabled: &yes,
	}); err != nil {
		t.Fatalf("allowing downloads: %v", err)
	}

	u := webFileURL(t, dir, ws.Out)
	if err := webStep(ctx, chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS(".worksheet-tools"))); err != nil {
		t.Fatalf("opening %s and waiting for its tools: %v", u, err)
	}
	st := wsRead(t, ctx, "on opening")
	if len(st.Filled) != 0 || len(st.Keys) != 0 {
		t.Fatalf("a fresh profile opens the worksheet with answers: fields %v, keys %v", st.Filled, st.Keys)
	}

	// Type as a person does: focus, keys, click.
	if err := webStep(ctx,
		chromedp.SendKeys(chromedp.CSS(wsName), wsNameText),
		chromedp.SendKeys(chromedp.CSS(wsCell), wsCellText),
		chromedp.SendKeys(chromedp.CSS(wsLine), wsLineText),
		chromedp.Click(chromedp.CSS(wsBox)),
	); err != nil {
		t.Fatalf("filling in the worksheet: %v", err)
	}
	st = wsRead(t, ctx, "after typing")
	if st.Name != wsNameText || st.Cell != wsCellText || st.Line != wsLineText || !st.Box {
		t.Fatalf("typing did not reach the fields: %+v", st)
	}
	if len(st.Keys) != 4 {
		t.Errorf("4 fields filled, but the storage holds %d keys for this worksheet: %v", len(st.Keys), st.Keys)
	}
	if st.Status != "Saved in this browser" {
		t.Errorf("the status line says %q after typing, want %q", st.Status, "Saved in this browser")
	}

	// Reload: the answers come back from this browser's storage.
	if err := webReload(ctx); err != nil {
		t.Fatalf("reloading: %v", err)
	}
	if err := webStep(ctx, chromedp.WaitVisible(chromedp.CSS(".worksheet-tools"))); err != nil {
		t.Fatalf("waiting for the tools after the reload: %v", err)
	}
	st = wsRead(t, ctx, "after the reload")
	if st.Name != wsNameText || st.Cell != wsCellText || st.Line != wsLineText || !st.Box {
		t.Errorf("after a reload the worksheet holds name %q, cell %q, line %q, box %v; want what was typed",
			st.Name, st.Cell, st.Line, st.Box)
	}
	if len(st.Filled) != 4 {
		t.Errorf("after a reload %d fields hold something, want 4: %v", len(st.Filled), st.Filled)
	}

	// Download: the browser saves a Markdown file of the answers.
	md := wsDownload(t, ctx, downloads)
	t.Logf("the downloaded answers:\n%s", md)
	for _, want := range []string{
		"# Next Steps",
		"Name: " + wsNameText,
		"\n## Internal actions\n",
		"\n## My first step\n",
		"| Individual action | Who | By when | Support needed |",
		wsLineText,
		"- [x] I have shared my next steps with someone in the group.",
		"- [ ] I know how to reach the facilitators after the workshop.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the downloaded answers lack %q:\n%s", want, md)
		}
	}
	if !regexp.MustCompile(`(?m)^\|\s*\|\s*` + regexp.QuoteMeta(wsCellText) + `\s*\|\s*\|\s*\|$`).MatchString(md) {
		t.Errorf("the downloaded answers lack the table row with %q in the Who column:\n%s", wsCellText, md)
	}
	// Rows left blank are not written: the first table has the one row typed in.
	if _, table, ok := strings.Cut(md, "| Individual action |"); ok {
		table, _, _ = strings.Cut(table, "\n\n")
		if rows := strings.Count(table, "\n") - 1; rows != 1 {
			t.Errorf("the Internal actions table has %d rows in the download, want the 1 typed in:\n%s", rows, md)
		}
	}

	// Clear, with the confirmation answered yes.
	if err := webStep(ctx,
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.Click(chromedp.CSS(`.worksheet-tools button[data-action="clear"]`)),
	); err != nil {
		t.Fatalf("clearing the answers: %v", err)
	}
	st = wsRead(t, ctx, "after clearing")
	if len(st.Filled) != 0 {
		t.Errorf("after Clear answers these fields still hold something: %v", st.Filled)
	}
	if len(st.Keys) != 0 {
		t.Errorf("after Clear answers the storage still holds %v", st.Keys)
	}
	if st.Status != "Cleared" {
		t.Errorf("the status line says %q after clearing, want %q", st.Status, "Cleared")
	}
	if err := webReload(ctx); err != nil {
		t.Fatalf("reloading after clearing: %v", err)
	}
	if st = wsRead(t, ctx, "after clearing and reloading"); len(st.Filled) != 0 {
		t.Errorf("cleared answers came back after a reload: %v", st.Filled)
	}

	if err := webStep(ctx, chromedp.Sleep(200*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	wsCheckLocal(t, rec)
}

// wsDownload clicks Download answers and returns the file the browser saved.
func wsDownload(t *testing.T, ctx context.Context, dir string) string {
	t.Helper()
	evCtx, cancel := context.WithTimeout(ctx, webStepTimeout)
	defer cancel()
	begins := chromedp.BrowserEvents(evCtx, cdpbrowser.DownloadWillBegin)
	progress := chromedp.BrowserEvents(evCtx, cdpbrowser.DownloadProgress)
	if err := webStep(ctx, chromedp.Click(chromedp.CSS(`.worksheet-tools button[data-action="download"]`))); err != nil {
		t.Fatalf("clicking Download answers: %v", err)
	}
	var begin cdpbrowser.EventDownloadWillBegin
	for ev, err := range begins {
		if err != nil {
			t.Fatalf("waiting for the download to begin: %v", err)
		}
		begin = ev
		break
	}
	if begin.SuggestedFilename != wsAnswersMD {
		t.Errorf("the download is named %q, want %q", begin.SuggestedFilename, wsAnswersMD)
	}
	if !strings.HasPrefix(begin.URL, "blob:") && !strings.HasPrefix(begin.URL, "data:") {
		t.Errorf("the download comes from %q, want a blob: URL made in the page", begin.URL)
	}
	path := ""
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("waiting for the download to finish: %v", err)
		}
		if ev.GUID != begin.GUID {
			continue
		}
		if ev.State == cdpbrowser.DownloadProgressStateCanceled {
			t.Fatal("the download was canceled")
		}
		if ev.State == cdpbrowser.DownloadProgressStateCompleted {
			path = ev.FilePath
			break
		}
	}
	if path == "" {
		path = filepath.Join(dir, begin.SuggestedFilename)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the downloaded answers: %v", err)
	}
	if filepath.Dir(path) != dir {
		t.Errorf("the download went to %s, want a file in %s", path, dir)
	}
	return string(b)
}

// wsCheckLocal fails the test for every request of the visit that was not to
// a local file or to something the page made itself (blob:, data:), and for
// every problem the tab reported.
func wsCheckLocal(t *testing.T, r *webRecorder) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.requests) == 0 {
		t.Error("recorded no request at all: the network listener is not working")
	}
	for _, u := range r.requests {
		if !strings.HasPrefix(u, "file://") && !strings.HasPrefix(u, "blob:") && !strings.HasPrefix(u, "data:") {
			t.Errorf("the worksheet made a request that is not to a local file: %s", u)
		}
	}
	for _, p := range r.problems {
		t.Errorf("the page reported: %s", p)
	}
	t.Logf("%d requests recorded, all local", len(r.requests))
}

// TestWorksheetPrintPDF prints the worksheet's page to PDF, with a name
// typed in, and reads the PDF back with pdftotext: every word of the
// worksheet is on paper, with what was typed and the page numbers of the
// running footer, and none of the site's navigation or the worksheet's
// buttons.
func TestWorksheetPrintPDF(t *testing.T) {
	pdftotext := needPdftotext(t)
	dir, res := webBuildDemo(t)
	ws := webWorksheet(t, res.Site)
	ctx := browser.ForTest(t)

	u := webFileURL(t, dir, ws.Out)
	if err := webStep(ctx,
		chromedp.Navigate(u),
		chromedp.WaitVisible(chromedp.CSS(".worksheet-tools")),
		chromedp.SendKeys(chromedp.CSS(wsName), wsNameText),
	); err != nil {
		t.Fatalf("opening %s and typing a name: %v", u, err)
	}
	// The worksheet's words, as the page shows them: labels, headings,
	// prompts, column heads and checkbox items. (Its own header repeats the
	// page's title, and is shown only to screen readers.)
	text, err := webGet(ctx, chromedp.Evaluate[string](
		`document.querySelector("article.worksheet-page > .page-header h1").innerText + "\n" +
		 document.querySelector("form.worksheet-form > .fc-worksheet > .fc-body").innerText`))
	if err != nil {
		t.Fatalf("reading the worksheet's text: %v", err)
	}
	got := wsPDFText(t, ctx, pdftotext)
	words := map[string]bool{}
	for _, w := range strings.Fields(got) {
		words[strings.Trim(w, ".,:;!?()‘’'\"")] = true
	}

	var missing []string
	for _, w := range strings.Fields(text) {
		w = strings.Trim(w, ".,:;!?()‘’'\"")
		if w != "" && !words[w] {
			missing = append(missing, w)
		}
	}
	if len(missing) > 0 {
		t.Errorf("words of the worksheet missing from the PDF: %q\nPDF text: %s", missing, got)
	}
	for _, want := range []string{"Next Steps", "Internal actions", "External actions", "Support needed",
		"My first step", "Who I will tell", "Name", "Organisation", "Date", wsNameText, "Page 1 of"} {
		if !strings.Contains(got, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, got)
		}
	}
	for _, unwanted := range []string{"Skip to content", "Print blank", "Download answers", "Two-day workshop agenda", "Breadcrumbs"} {
		if strings.Contains(got, unwanted) {
			t.Errorf("the PDF holds %q, which is the site's or the tools', not the worksheet's:\n%s", unwanted, got)
		}
	}
	if n := strings.Count(got, "Page "); n > 2 {
		t.Errorf("the worksheet takes %d pages, want at most 2:\n%s", n, got)
	}

	// Print blank: the same sheet with nothing typed on it, and the answers
	// back in their fields afterwards. The browser's print dialog is left out
	// (window.print does nothing here); DevTools prints instead, and fires
	// beforeprint and afterprint as a print dialog does.
	if err := webStep(ctx,
		chromedp.Evaluate[chromedp.Void](`window.print = () => {}`),
		chromedp.Click(chromedp.CSS(`.worksheet-tools button[data-action="print-blank"]`)),
	); err != nil {
		t.Fatalf("clicking Print blank: %v", err)
	}
	blank := wsPDFText(t, ctx, pdftotext)
	if strings.Contains(blank, wsNameText) {
		t.Errorf("Print blank printed what was typed (%q):\n%s", wsNameText, blank)
	}
	for _, want := range []string{"Internal actions", "Who I will tell", "Name", "Organisation", "Page 1 of"} {
		if !strings.Contains(blank, want) {
			t.Errorf("the blank print lacks %q:\n%s", want, blank)
		}
	}
	if v, err := webGet(ctx, chromedp.Value(chromedp.CSS(wsName))); err != nil || v != wsNameText {
		t.Errorf("after Print blank the name field holds %q (%v), want %q back", v, err, wsNameText)
	}
}

// needPdftotext is the path of pdftotext; without it the test is skipped,
// or fails when browser tests are required.
func needPdftotext(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("pdftotext")
	if err != nil {
		msg := "pdftotext is not installed (Debian: apt-get install poppler-utils)"
		if os.Getenv(browser.EnvRequire) == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return p
}

// wsPDFText prints the tab to PDF, at the page size of its CSS and with no
// header or footer of the browser's own, and returns the PDF's text with its
// white space collapsed.
func wsPDFText(t *testing.T, ctx context.Context, pdftotext string) string {
	t.Helper()
	pdf, err := webGet(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatalf("printing to PDF: %v", err)
	}
	file := filepath.Join(t.TempDir(), "worksheet.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, file, "-").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("pdftotext: %v: %s", err, ee.Stderr)
		}
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// TestWorksheetPrintPDFArabic fills in the demo's Arabic worksheet, a name
// and a table's cell typed in Arabic, prints it to PDF and reads it back:
// the worksheet's headings, prompts and field labels in Arabic, in logical
// order (see pdfNormRTL), what was typed, the footer in Arabic digits, and
// none of the tools; Print blank prints the sheet without the answers.
func TestWorksheetPrintPDFArabic(t *testing.T) {
	pdftotext := needPdftotext(t)
	dir, res := webBuildDemo(t)
	var ws *site.Page
	for _, l := range res.Site.Langs {
		if l.Lang.Code == "ar" {
			if s11 := l.Session("11"); s11 != nil && s11.Derived != nil && len(s11.Derived.Worksheets) > 0 {
				ws = s11.Derived.Worksheets[0]
			}
		}
	}
	if ws == nil {
		t.Fatal("the demo has no Arabic worksheet in Session 11")
	}
	ctx := browser.ForTest(t)
	const name, cell = "ليلى حداد", "منسّقة الشبكة"
	u := webFileURL(t, dir, ws.Out)
	if err := webStep(ctx,
		chromedp.Navigate(u),
		chromedp.WaitVisible(chromedp.CSS(".worksheet-tools")),
		chromedp.SendKeys(chromedp.CSS(wsName), name),
		chromedp.SendKeys(chromedp.CSS(`form.worksheet-form table textarea`), cell),
	); err != nil {
		t.Fatalf("opening %s and typing: %v", u, err)
	}
	filled := pdfNormRTL(wsPDFText(t, ctx, pdftotext), false)
	has := func(text, want string) bool { return strings.Contains(text, pdfNormRTL(want, true)) }
	for _, want := range []string{"الخطوات التالية", "الإجراءات الداخلية", "الإجراءات الخارجية", "خطوتي الأولى",
		"الدعم اللازم", "الاسم", "المنظمة", "التاريخ", name, cell, "الصفحة ١ من ١"} {
		if !has(filled, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, filled)
		}
	}
	for _, unwanted := range []string{"طباعة نسخة فارغة", "تنزيل الإجابات", "مسح الإجابات", "انتقل إلى المحتوى"} {
		if has(filled, unwanted) {
			t.Errorf("the PDF holds %q, the site's or the tools':\n%s", unwanted, filled)
		}
	}
	if err := webStep(ctx,
		chromedp.Evaluate[chromedp.Void](`window.print = () => {}`),
		chromedp.Click(chromedp.CSS(`.worksheet-tools button[data-action="print-blank"]`)),
	); err != nil {
		t.Fatalf("clicking Print blank: %v", err)
	}
	blank := pdfNormRTL(wsPDFText(t, ctx, pdftotext), false)
	if has(blank, name) || has(blank, cell) {
		t.Errorf("Print blank printed what was typed:\n%s", blank)
	}
	if !has(blank, "الإجراءات الداخلية") {
		t.Errorf("the blank print lacks the worksheet:\n%s", blank)
	}
}
