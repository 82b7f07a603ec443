// flipchart pdf: prepares a page for one print. Called with the options of
// the print (see bookOptions in book.go) after the page has loaded; it can
// be called again on the same page, for the next print. It returns what
// the printer needs to know of the page (see bookPage in book.go).
(o) => {
  const d = document;
  let made = 0;
  const idOf = (el) => {
    if (!el.id) { el.id = "fc-print-" + o.part + "-" + (++made); }
    return el.id;
  };
  const text = (s) => s.replace(/\s+/g, " ").trim();
  const titleOf = (el) => {
    let t = "";
    const by = el.getAttribute("aria-labelledby");
    if (by) {
      t = by.split(/\s+/).map((id) => d.getElementById(id)).filter(Boolean).map((e) => e.textContent).join(" ");
    }
    if (!text(t) && !/^H[1-6]$/.test(el.tagName)) {
      const h = el.querySelector("h1, h2, h3, h4, h5, h6");
      if (h) { t = h.textContent; }
    }
    if (!text(t)) { t = el.getAttribute("aria-label") || el.textContent; }
    return text(t);
  };

  // The bookmarks: the elements the page names with data-fc-outline, or
  // else its headings. A level is data-fc-level, or one more than the
  // bookmark the element is in, or a heading's own.
  const out = { outline: [], recto: [], refs: [] };
  const root = d.querySelector("[data-fc-outline]");
  const sel = root ? root.getAttribute("data-fc-outline") : "h1, h2, h3";
  const levels = new Map();
  const open = []; // the bookmarks the next one may be under: level, title
  for (const el of (root || d.querySelector("main") || d.body).querySelectorAll(sel)) {
    if (el.closest("[hidden]") || !root && el.closest("nav, aside")) { continue; }
    let level = parseInt(el.getAttribute("data-fc-level") || "", 10);
    if (!level) {
      const up = el.parentElement && el.parentElement.closest(sel);
      level = up && levels.has(up) ? levels.get(up) + 1 : (/^H[1-6]$/.test(el.tagName) ? +el.tagName[1] : 1);
    }
    levels.set(el, level);
    const title = titleOf(el);
    // A heading that repeats the bookmark it is under (a worksheet's title
    // under its page's) is left out; what is under it stays.
    while (open.length && open[open.length - 1][0] >= level) { open.pop(); }
    if (title && !(open.length && open[open.length - 1][1] === title)) {
      out.outline.push([level, title, idOf(el)]);
      open.push([level, title]);
    }
  }

  // The page numbers the page shows: a placeholder as wide as the numbers
  // will be in the first print, the numbers after.
  const digitsOf = (el) => {
    const h = el.closest("[data-fc-digits]");
    const ds = h ? [...h.getAttribute("data-fc-digits")] : [];
    return ds.length === 10 ? ds : null;
  };
  // A number keeps the width of its placeholder, with figure spaces before
  // it: in a box of its own (the contents' column of pages) the widest
  // number's, in a line of text the number the printer guessed for it, so
  // that the space shows only where the guess was too wide.
  const number = (n, el, width) => {
    const ds = digitsOf(el);
    const s = ds ? String(n).replace(/[0-9]/g, (c) => ds[+c]) : String(n);
    return "\u2007".repeat(Math.max(0, width - [...s].length)) + s;
  };
  // The footer counts the pages of all the parts: the page's footer says
  // var(--fc-pages, counter(pages)).
  const targets = new Set(o.linked || []);
  const refs = new Set();
  for (const el of d.querySelectorAll("[data-fc-page]")) {
    const id = el.getAttribute("data-fc-page");
    targets.add(id);
    refs.add(id);
    const width = getComputedStyle(el).display === "inline" && o.guess && o.guess[id] ? o.guess[id] : o.width;
    if (!o.numbers) {
      el.textContent = number("0".repeat(width), el, width);
    } else {
      el.textContent = o.numbers[id] ? number(o.numbers[id], el, width) : "";
    }
  }
  out.refs = [...refs];
  for (const [, , id] of out.outline) { targets.add(id); }
  for (const el of d.querySelectorAll("[data-fc-recto]")) { out.recto.push(idOf(el)); targets.add(el.id); }

  // A link to an element in another part of the page goes to it through
  // CrossPartURL, which the join makes a link within the PDF.
  if (o.parted) {
    for (const a of d.querySelectorAll('a[href^="#"]')) {
      const id = decodeURIComponent(a.getAttribute("href").slice(1));
      if (id && !d.getElementById(id)) { a.setAttribute("href", o.crossPart + encodeURIComponent(id)); }
    }
  }

  // Chromium makes a named destination of each element a link points at,
  // hidden links too: one for each element the printer must find.
  let box = d.getElementById("fc-print-targets");
  if (!box) {
    box = d.createElement("div");
    box.id = "fc-print-targets";
    box.hidden = true;
    d.body.append(box);
  }
  box.replaceChildren(...[...targets].filter((id) => d.getElementById(id)).map((id) => {
    const a = d.createElement("a");
    a.setAttribute("href", "#" + id);
    return a;
  }));

  // Blank pages, so that what must start a right-hand page does.
  for (const b of d.querySelectorAll(".fc-print-blank")) { b.remove(); }
  const blank = () => {
    const b = d.createElement("div");
    b.className = "fc-print-blank";
    b.setAttribute("aria-hidden", "true");
    return b;
  };
  for (const id of o.blanks || []) {
    const el = d.getElementById(id);
    if (el) { el.before(blank()); }
  }
  if (o.blankEnd) {
    const parts = d.querySelectorAll("[data-fc-part]");
    if (parts.length) { parts[parts.length - 1].after(blank()); } else { d.body.append(blank()); }
  }
  // A stylesheet of its own, made through the CSSOM, which the page's
  // Content-Security-Policy (no inline styles) leaves alone.
  if (!window.fcPrintSheet) {
    window.fcPrintSheet = new CSSStyleSheet();
    d.adoptedStyleSheets = [...d.adoptedStyleSheets, window.fcPrintSheet];
  }
  const boxes = ["top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
    "bottom-left-corner", "bottom-left", "bottom-center", "bottom-right", "bottom-right-corner",
    "left-top", "left-middle", "left-bottom", "right-top", "right-middle", "right-bottom"];
  let css = ".fc-print-blank { break-before: page; break-after: page; page: fc-print-blank; block-size: 1px; margin: 0; padding: 0; border: 0; visibility: hidden; }\n" +
    "@page fc-print-blank { " + boxes.map((b) => "@" + b + " { content: none; }").join(" ") + " }\n";
  // A part of a long page: its pages are numbered on from the parts
  // before it, out of the pages of all.
  if (o.parted) {
    // A link across parts is no link to another site: no address after it.
    css += "a[href^=\"" + o.crossPart + "\"]::before, a[href^=\"" + o.crossPart + "\"]::after { content: none !important; }\n";
    const total = number(o.total, d.body, 0);
    css += ":root { --fc-pages: \"" + total + "\"; }\n@page :first { counter-increment: page " + (o.offset + 1) + "; }\n";
  }
  window.fcPrintSheet.replaceSync(css);
  return JSON.stringify(out);
}
