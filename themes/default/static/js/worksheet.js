// flipchart: a worksheet to fill in on screen.
//
// What a participant types is kept in this browser only, one entry per
// field, under a key made of the worksheet's address and the field's own
// key (data-key, written by flipchart from the field's id or its heading and
// label, so an edit of the worksheet above a field does not move its
// answer). data-storage on the page says where: "session" keeps answers in
// this tab until it is closed (sessionStorage), "device" in this browser
// until they are cleared (localStorage). Nothing here contacts any host: no
// fetch, no XHR, no external URL. "Download answers" builds a Markdown file
// in the page and saves it through a blob: URL. Without this script (or
// with storage refused) the form still works; it is just not kept.
//
// The page's texts come from the theme's i18n files, through data-msg-*
// attributes on the tools group (the English here is only a fallback), so
// that a translated theme needs no change to this file.
(function () {
  "use strict";

  var page = document.querySelector("article.worksheet-page[data-worksheet]");
  if (!page) { return; }
  var form = page.querySelector("form.worksheet-form");
  var tools = page.querySelector(".worksheet-tools");
  if (!form || !tools) { return; }

  // The key names the worksheet by its address: data-worksheet is its place
  // in the site ("worksheets/11-next-steps-worksheet/"); the page's path
  // ends with it, and tells apart two manuals on one host, or two copies of
  // a manual opened from files (every file:// page shares one storage).
  var id = page.getAttribute("data-worksheet");
  var here = location.pathname.replace(/index\.html$/, "");
  var prefix = "flipchart:worksheet:" + (here.slice(-id.length) === id ? here : here + "#" + id) + ":";
  var status = tools.querySelector("[role=status]");
  var fields = [].slice.call(form.querySelectorAll("input, textarea, select"));

  function msg(name, fallback) {
    var v = tools.getAttribute("data-msg-" + name);
    return v === null || v === "" ? fallback : v;
  }

  function text(el) { return (el.textContent || "").replace(/\s+/g, " ").trim(); }

  // Storage can be missing or refused (privacy settings, some browsers on
  // file://): then answers are not kept, and the status line says so.
  function storage(name) {
    try {
      var s = window[name];
      var probe = prefix + "probe";
      s.setItem(probe, "1");
      s.removeItem(probe);
      return s;
    } catch (e) {
      return null;
    }
  }
  var device = page.getAttribute("data-storage") === "device";
  var store = storage(device ? "localStorage" : "sessionStorage");

  // A field's key is its data-key; a field without one (a template's own)
  // is known by its place in the form.
  var keys = fields.map(function (el, i) {
    var k = el.getAttribute("data-key");
    return prefix + (k ? k : "#" + i);
  });

  function isBox(el) { return el.type === "checkbox" || el.type === "radio"; }

  function valueOf(el) { return isBox(el) ? (el.checked ? "1" : "") : el.value; }

  function setValue(el, v) {
    if (isBox(el)) {
      el.checked = v === "1";
    } else {
      el.value = v;
    }
  }

  // What a field is called, kept with its answer, so that an answer whose
  // field is gone can be named.
  function labelOf(el) {
    var l = el.getAttribute("aria-label");
    if (!l && el.labels && el.labels.length) { l = text(el.labels[0]); }
    return l || el.name || "";
  }

  // An entry is {"v": value, "l": label}; anything else (a value alone,
  // as an older page kept it) is taken as the value.
  function decode(raw) {
    if (raw === null) { return null; }
    try {
      var o = JSON.parse(raw);
      if (o && typeof o === "object" && typeof o.v === "string") {
        return { v: o.v, l: typeof o.l === "string" ? o.l : "" };
      }
    } catch (e) { /* not JSON: a value alone */ }
    return { v: String(raw), l: "" };
  }

  function read(key) {
    if (!store) { return null; }
    try { return decode(store.getItem(key)); } catch (e) { return null; }
  }

  // On paper, a text area is one box that no browser breaks across pages:
  // a long one would leave a page empty and move to the next whole, or be
  // cut off at the page's end. So each text area of writing lines has a
  // copy for print just before it (css/worksheet-page.css): the blank
  // lines of the guide, one for each of its rows and for each line typed
  // past them, with what is typed over them, both of which break between
  // lines. It is hidden on screen and from screen readers.
  form.querySelectorAll("textarea.fc-lines").forEach(function (el) {
    el.insertAdjacentHTML("beforebegin", '<div class="fc-paper" aria-hidden="true"><div class="fc-lines"></div></div>');
    el.paper = el.previousElementSibling;
  });
  function paper(el) {
    var p = el.paper;
    var n = Math.max(el.rows, el.value.split("\n").length);
    p.dataset.v = el.value;
    if (p.n !== n) {
      p.n = n;
      p.firstChild.innerHTML = new Array(n + 1).join('<span class="fc-line"></span>');
    }
  }

  // Text areas grow with what is typed. Chromium does it in CSS
  // (field-sizing: content); elsewhere, here. Their copy for print takes
  // what they hold.
  var cssSizing = window.CSS && CSS.supports && CSS.supports("field-sizing", "content");
  function grow(el) {
    if (el.paper) { paper(el); }
    if (cssSizing || el.tagName !== "TEXTAREA") { return; }
    el.style.height = "auto";
    el.style.height = el.scrollHeight + 2 + "px";
  }

  var saved = msg("saved", "Saved in this browser");
  var notSaved = msg("not-saved", "This browser does not keep what you type here: download your answers before you leave the page.");
  function say(text) {
    if (status && status.textContent !== text) { status.textContent = text; }
  }

  // Restore what was saved.
  var restored = 0;
  fields.forEach(function (el, i) {
    var entry = read(keys[i]);
    if (entry !== null) {
      setValue(el, entry.v);
      restored++;
    }
    grow(el);
  });

  // Answers kept for fields this worksheet no longer has (the author
  // changed it since) are not put anywhere: they are named in the status
  // line, and kept until the participant clears the worksheet.
  var stale = [];
  if (store) {
    try {
      var mine = {};
      keys.forEach(function (k) { mine[k] = true; });
      for (var i = 0; i < store.length; i++) {
        var k = store.key(i);
        if (k && k.indexOf(prefix) === 0 && !mine[k] && k !== prefix + "probe") {
          var entry = decode(store.getItem(k));
          if (entry && entry.v !== "" && stale.indexOf(entry.l) < 0) { stale.push(entry.l); }
        }
      }
    } catch (err) { stale = []; }
  }

  function staleMessage() {
    var named = stale.filter(function (l) { return l !== ""; });
    if (named.length > 6) { named = named.slice(0, 6).concat("…"); }
    var m = msg("stale", "Some saved answers no longer match this worksheet and were not restored: {fields}");
    return named.length ? m.replace("{fields}", named.join("; ")) : m.replace(/[\s:：،]*\{fields\}/, "");
  }

  // On a phone a table's rows stack as cards, each field under its
  // column's heading: the cells learn their heading here.
  form.querySelectorAll("table[data-fill]").forEach(function (tbl) {
    var heads = [].map.call(tbl.querySelectorAll("thead th"), text);
    tbl.querySelectorAll("tbody tr").forEach(function (tr) {
      [].forEach.call(tr.children, function (td, i) {
        if (heads[i]) { td.setAttribute("data-label", heads[i]); }
      });
    });
    tbl.classList.add("fc-stackable");
  });

  tools.hidden = false;
  if (!store) {
    say(notSaved);
  } else if (stale.length) {
    say(staleMessage());
  } else if (restored) {
    say(saved);
  }

  function save(ev) {
    var el = ev.target;
    var i = fields.indexOf(el);
    if (i < 0) { return; }
    grow(el);
    if (!store) { return; }
    var v = valueOf(el);
    try {
      if (v === "") {
        store.removeItem(keys[i]);
      } else {
        store.setItem(keys[i], JSON.stringify({ v: v, l: labelOf(el) }));
      }
      say(saved);
    } catch (e) {
      say(notSaved);
    }
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  // Enter in a field would submit the form (to nowhere): never.
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });

  // Print blank: the values leave the fields (and their copies for print)
  // while the page prints and come back afterwards. Browsers differ. Most
  // fire beforeprint and afterprint while print() blocks: the values are
  // back before print() returns. Some fire beforeprint but never
  // afterprint (headless Chromium): the page was laid out for print by the
  // time print() returns, so the values come back then. Some print after
  // print() returns (phones): the values come back on afterprint, or at the
  // next touch or key on the page if none comes.
  var held = null;
  function restore() {
    if (!held) { return; }
    var values = held;
    held = null;
    fields.forEach(function (el, i) { setValue(el, values[i]); grow(el); });
    ["pointerdown", "keydown", "focusin"].forEach(function (t) {
      document.removeEventListener(t, restore, true);
    });
  }
  window.addEventListener("afterprint", restore);

  function printBlank() {
    restore();
    held = fields.map(valueOf);
    fields.forEach(function (el) { setValue(el, ""); grow(el); });
    var began = false;
    window.addEventListener("beforeprint", function once() {
      began = true;
      window.removeEventListener("beforeprint", once);
    });
    try {
      window.print();
    } finally {
      if (began) {
        setTimeout(restore, 0);
      } else if (held) {
        setTimeout(function () {
          ["pointerdown", "keydown", "focusin"].forEach(function (t) {
            document.addEventListener(t, restore, true);
          });
        }, 0);
      }
    }
  }

  // Download answers: the worksheet as Markdown.

  function oneLine(s) {
    return s.split(/\r?\n/).map(function (l) { return l.trim(); })
      .filter(function (l) { return l !== ""; }).join(" / ");
  }

  function cellText(td) {
    var parts = [];
    td.childNodes.forEach(function (n) {
      if (n.nodeType === 1 && (n.tagName === "TEXTAREA" || n.tagName === "INPUT")) {
        parts.push(oneLine(n.value));
      } else {
        parts.push(oneLine(n.textContent || ""));
      }
    });
    return parts.join(" ").trim().replace(/\\/g, "\\\\").replace(/\|/g, "\\|");
  }

  // Inline content of a paragraph or list item, blanks filled with what was
  // typed (or a line of underscores where nothing was).
  function inline(el) {
    var out = "";
    el.childNodes.forEach(function (n) {
      if (n.nodeType === 3) {
        out += n.nodeValue;
      } else if (n.nodeType === 1) {
        if (n.tagName === "INPUT" && isBox(n)) {
          return;
        } else if (n.tagName === "INPUT" || n.tagName === "TEXTAREA") {
          out += n.value.trim() ? n.value.trim() : "______";
        } else if (n.tagName === "BR") {
          out += "\n";
        } else {
          out += inline(n);
        }
      }
    });
    return out;
  }

  function table(tbl) {
    var head = [].map.call(tbl.querySelectorAll("thead th"), function (th) {
      return text(th).replace(/\|/g, "\\|");
    });
    var rows = [];
    tbl.querySelectorAll("tbody tr").forEach(function (tr) {
      var cells = [].map.call(tr.children, cellText);
      // Rows left blank are left out: the file holds answers.
      if (cells.some(function (c) { return c !== ""; })) { rows.push(cells); }
    });
    var n = Math.max(head.length, rows.reduce(function (m, r) { return Math.max(m, r.length); }, 0));
    if (!n) { return ""; }
    function line(cells) {
      var c = cells.slice();
      while (c.length < n) { c.push(""); }
      return "| " + c.join(" | ") + " |";
    }
    var sep = [];
    for (var i = 0; i < n; i++) { sep.push("---"); }
    var out = [line(head.length ? head : sep.map(function () { return " "; })), "|" + sep.join("|") + "|"];
    if (!rows.length) { rows.push([]); }
    rows.forEach(function (r) { out.push(line(r)); });
    return out.join("\n");
  }

  function writing(el) {
    var v = el.value.replace(/\s+$/, "");
    return v.trim() ? v : "";
  }

  // blocks walks the form in reading order and returns Markdown blocks.
  function blocks(root, out) {
    [].forEach.call(root.children, function (el) {
      var tag = el.tagName;
      if (el.hidden || el.getAttribute("aria-hidden") === "true") { return; }
      if (/^H[1-6]$/.test(tag)) {
        var t = text(el);
        // The worksheet's own title repeats the page's: said once.
        if (t && !(el.classList.contains("fc-title") && t === pageTitle)) {
          // The page's title is the file's only "#": the worksheet's
          // sections (h2, h3) are "##", what is under them one more.
          out.push(new Array(Math.min(Math.max(+tag[1] - 1, 2), 6) + 1).join("#") + " " + t);
        }
      } else if (el.classList.contains("fc-kind")) {
        return;
      } else if (el.classList.contains("fc-fields")) {
        el.querySelectorAll(".fc-field").forEach(function (f) {
          var input = f.querySelector("input, textarea, select");
          var label = text(f);
          out.push((label + ": " + (input ? input.value.trim() : "")).trim());
        });
      } else if (tag === "TABLE") {
        var t2 = table(el);
        if (t2) { out.push(t2); }
      } else if (tag === "TEXTAREA") {
        var w = writing(el);
        if (w) { out.push(w); }
      } else if (tag === "P") {
        var p = inline(el).trim();
        if (p) { out.push(p); }
      } else if (tag === "UL" || tag === "OL") {
        var items = [];
        [].forEach.call(el.children, function (li, i) {
          var box = li.querySelector(":scope > input[type=checkbox]");
          var mark = tag === "OL" ? (i + 1) + "." : "-";
          if (box) { mark += box.checked ? " [x]" : " [ ]"; }
          items.push(mark + " " + inline(li).replace(/\s+/g, " ").trim());
        });
        if (items.length) { out.push(items.join("\n")); }
      } else if (tag === "INPUT") {
        if (el.value.trim()) { out.push(el.value.trim()); }
      } else if (el.children.length) {
        blocks(el, out);
      } else if (text(el)) {
        out.push(text(el));
      }
    });
    return out;
  }

  var h1 = page.querySelector("h1");
  var pageTitle = h1 ? text(h1) : document.title;

  function markdown() {
    var out = ["# " + pageTitle];
    var from = page.querySelector(".page-header .eyebrow");
    if (from && text(from)) { out.push("_" + text(from) + "_"); }
    blocks(form, out);
    return out.join("\n\n") + "\n";
  }

  function fileName() {
    var base;
    try {
      base = pageTitle.toLowerCase().replace(new RegExp("[^\\p{L}\\p{N}]+", "gu"), "-");
    } catch (e) {   // a browser without Unicode classes in RegExp
      base = pageTitle.toLowerCase().replace(/[\s\/\\:*?"<>|.,;!]+/g, "-");
    }
    base = base.replace(/^-+|-+$/g, "");
    return (base || "worksheet") + "-" + msg("file", "answers") + ".md";
  }

  function download() {
    var blob = new Blob([markdown()], { type: "text/markdown;charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = fileName();
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  function clear() {
    if (!window.confirm(msg("confirm-clear", "Clear every answer on this worksheet? This cannot be undone."))) { return; }
    // Both storages: answers kept before the site changed where it keeps
    // them go too.
    [store, storage(device ? "sessionStorage" : "localStorage")].forEach(function (s) {
      if (!s) { return; }
      try {
        var gone = [];
        for (var i = 0; i < s.length; i++) {
          var k = s.key(i);
          if (k && k.indexOf(prefix) === 0) { gone.push(k); }
        }
        gone.forEach(function (k) { s.removeItem(k); });
      } catch (e) { /* nothing kept to clear */ }
    });
    stale = [];
    fields.forEach(function (el) { setValue(el, ""); grow(el); });
    say(msg("cleared", "Cleared"));
  }

  tools.addEventListener("click", function (ev) {
    var b = ev.target.closest("button[data-action]");
    if (!b) { return; }
    switch (b.getAttribute("data-action")) {
      case "print": window.print(); break;
      case "print-blank": printBlank(); break;
      case "download": download(); break;
      case "clear": clear(); break;
    }
  });
})();
