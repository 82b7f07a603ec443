// flipchart search engine, loaded by search.js once search is used. The
// index (search/*.js, see flipchart's package search) is loaded as script
// files, part by part as queries need them, never with fetch: it works from
// a web server and from a folder opened in the browser (file://) alike,
// and nothing leaves the device.
(function () {
  "use strict";
  if (window.flipchartSearch && window.flipchartSearch.query) { return; }
  var header = document.querySelector("form.site-search");
  var pageForm = document.querySelector("form.search-form");
  var base = (header || pageForm).action || location.href;
  var form = header || pageForm;
  // The folder of the search page, which holds the index of the page's
  // language (search/, es/search/), and the site's root, which the
  // results' links and the stylesheets start from.
  var dir = new URL(".", base).href;
  var root = form.dataset.root !== undefined ? new URL(form.dataset.root || "./", location.href).href : new URL("../", dir).href;
  var meta = null, shards = {}, chunks = {}, loaded = {}, decoded = {};
  var WORD = /^[\p{L}\p{N}\p{M}]+$/u;
  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = root + "css/search.css";
  document.head.appendChild(css);

  // Registration, called by the index's files as they load.
  var api = window.flipchartSearch = {
    meta: function (m) { meta = m; meta.has = {}; m.shards.forEach(function (p) { meta.has[p] = true; }); },
    add: function (prefix, terms) { shards[prefix] = terms; },
    docs: function (n, list) { chunks[n] = list; }
  };

  // digits writes a number in the page's language's digits (the form's
  // data-digits, ten of them), or as it is.
  function digits(s) {
    var d = form.dataset.digits ? Array.from(form.dataset.digits) : null;
    return d && d.length === 10 ? s.replace(/[0-9]/g, function (c) { return d[+c]; }) : s;
  }

  // plural picks the form of a string with a number for n, by the plural
  // rules of the page's language: forms is JSON, {"one": …, "other": …}.
  function plural(forms, n) {
    var f = {};
    try { f = JSON.parse(forms); } catch (e) { f = { other: forms }; }
    var cat = "other";
    try { cat = new Intl.PluralRules(document.documentElement.lang || "en").select(n); } catch (e) { /* an unknown language */ }
    return (f[cat] || f.other || "").replace("{n}", digits(String(n)));
  }

  // load adds the index's file name as a script, once; the promise is
  // kept when it ran.
  function load(name) {
    if (!loaded[name]) {
      loaded[name] = new Promise(function (ok, fail) {
        var s = document.createElement("script");
        s.src = dir + name;
        s.onload = ok;
        s.onerror = function () { delete loaded[name]; fail(new Error(name)); };
        document.head.appendChild(s);
      });
    }
    return loaded[name];
  }

  function stripped(cp) {
    return meta.fold.strip.some(function (r) { return cp >= r[0] && cp <= r[1]; });
  }

  // foldChar is one character lowercased and without its diacritics, as
  // Fold in package search makes it.
  function foldChar(ch) {
    var out = "";
    for (var c of ch.toLowerCase()) {
      if (stripped(c.codePointAt(0))) { continue; }
      var f = meta.fold.map[c];
      out += f === undefined ? c : f;
    }
    return out;
  }

  function fold(s) {
    var out = "";
    for (var ch of s) { out += foldChar(ch); }
    return out;
  }

  // words are the words of text, folded (w) with where each starts and
  // ends in text (s, e), split as Terms in package search splits them.
  function words(text) {
    var list = [], cur = null, i = 0;
    for (var ch of text) {
      var f = foldChar(ch), j = i + ch.length;
      if (f === "") { if (cur) { cur.e = j; } } else {
        for (var c of f) {
          if (WORD.test(c)) {
            if (!cur) { cur = { w: "", s: i, e: j }; list.push(cur); }
            cur.w += c;
            cur.e = j;
          } else { cur = null; }
        }
      }
      i = j;
    }
    return list;
  }

  var enc = new TextEncoder();
  function tokens(s) {
    return words(s).map(function (w) { return w.w; }).filter(function (t) { return enc.encode(t).length <= 60; });
  }
  function prefix(t) { return Array.from(t).slice(0, 2).join(""); }
  function shardFile(p) {
    return "idx-" + Array.from(enc.encode(p), function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("") + ".js";
  }

  var LAST = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef", MORE = "ghijklmnopqrstuvwxyz0123456789-_";
  // postings decodes one term's postings: documents and kinds, in turn.
  function postings(prefix, term) {
    var key = prefix + "\u0000" + term;
    if (decoded[key]) { return decoded[key]; }
    var s = shards[prefix][term], out = [], doc = -1, v = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charAt(i), d = MORE.indexOf(c);
      if (d >= 0) { v = v * 32 + d; continue; }
      v = v * 32 + LAST.indexOf(c);
      doc += Math.floor(v / 8);
      out.push(doc, v % 8);
      v = 0;
    }
    return (decoded[key] = out);
  }

  // rank finds the documents holding every term (the terms of the index
  // that start with it), best first: by the kinds of their matches (a
  // title's above an objective's above the body's), exact words above
  // prefixes, then in reading order.
  function rank(terms) {
    var all = null;
    terms.forEach(function (t) {
      var p = prefix(t), shard = shards[p], got = new Map();
      if (shard) {
        for (var k in shard) {
          if (k.lastIndexOf(t, 0) !== 0) { continue; }
          var ps = postings(p, k), exact = k === t ? 1 : 0;
          for (var i = 0; i < ps.length; i += 2) {
            var sc = ps[i + 1] * 2 + exact, had = got.get(ps[i]);
            if (!had || had.score < sc) { got.set(ps[i], { score: sc, kind: ps[i + 1] }); }
          }
        }
      }
      if (all === null) { all = got; return; }
      var both = new Map();
      all.forEach(function (m, doc) {
        var n = got.get(doc);
        if (n) { both.set(doc, { score: m.score + n.score, kind: Math.max(m.kind, n.kind) }); }
      });
      all = both;
    });
    var list = [];
    (all || new Map()).forEach(function (m, doc) { list.push({ doc: doc, score: m.score, kind: m.kind }); });
    list.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return list;
  }

  // query loads the parts of the index q needs and ranks the documents.
  function query(q) {
    var terms;
    return load("meta.js").then(function () {
      terms = Array.from(new Set(tokens(q)));
      var need = terms.map(prefix).filter(function (p) { return meta.has[p]; });
      return Promise.all(need.map(function (p) { return load(shardFile(p)); }));
    }).then(function () { return { terms: terms, results: terms.length ? rank(terms) : [] }; });
  }

  // documents loads the entries of some results: document d is entry
  // d % per of part d / per.
  function documents(results) {
    var need = new Set(results.map(function (r) { return Math.floor(r.doc / meta.per); }));
    return Promise.all(Array.from(need, function (n) { return load("docs-" + n + ".js"); })).then(function () {
      return results.map(function (r) {
        return chunks[Math.floor(r.doc / meta.per)][r.doc % meta.per];
      });
    });
  }

  function matches(w, terms) {
    return terms.some(function (t) { return w.lastIndexOf(t, 0) === 0; });
  }

  // passage appends to el the part of the document's text around its
  // first match, of the kind it ranked by when it has it, with every
  // match marked.
  function passage(el, doc, terms, kind) {
    var fields = (doc.f || []).filter(function (f) { return f[0] === kind; }).concat(doc.f || []);
    for (var i = 0; i < fields.length; i++) {
      var text = fields[i][1], ws = words(text);
      for (var j = 0; j < ws.length; j++) {
        if (matches(ws[j].w, terms)) { return excerpt(el, text, ws, ws[j], terms); }
      }
    }
    if (fields.length) { excerpt(el, fields[0][1], words(fields[0][1]), null, terms); }
  }

  function excerpt(el, text, ws, hit, terms) {
    var from = hit ? Math.max(0, hit.s - 60) : 0, to = Math.min(text.length, (hit ? hit.e : 0) + 140);
    if (from > 0) { var sp = text.indexOf(" ", from); from = sp >= 0 && sp < (hit ? hit.s : to) ? sp + 1 : from; }
    if (to < text.length) { var ep = text.lastIndexOf(" ", to); to = ep > (hit ? hit.e : from) ? ep : to; }
    var at = from;
    if (from > 0) { el.append("… "); }
    ws.forEach(function (w) {
      if (w.s < from || w.e > to || !matches(w.w, terms)) { return; }
      el.append(text.slice(at, w.s));
      var m = document.createElement("mark");
      m.textContent = text.slice(w.s, w.e);
      el.append(m);
      at = w.e;
    });
    el.append(text.slice(at, to) + (to < text.length ? " …" : ""));
  }

  // item is the list item of one result.
  function item(form, id, doc, r, terms) {
    var li = document.createElement("li"), a = document.createElement("a");
    li.id = id;
    li.className = "search-result";
    a.href = root + doc.u;
    var title = document.createElement("span");
    title.className = "search-title";
    if (doc.s) {
      var num = document.createElement("span");
      num.className = "num";
      num.textContent = form.dataset.session + "\u00a0" + digits(String(doc.s));
      title.append(num, " ");
    }
    title.append(doc.t);
    a.append(title);
    if (doc.m) {
      var time = document.createElement("span");
      time.className = "time";
      time.textContent = doc.m;
      a.append(" ", time);
    }
    li.append(a);
    var p = document.createElement("p");
    p.className = "passage";
    passage(p, doc, terms, r.kind);
    if (p.childNodes.length) { li.append(p); }
    return li;
  }

  // attach makes a search field show its results in list, step by step
  // with the arrow keys, Enter opening the one chosen.
  function attach(form, input, list, opts) {
    var shown = [], active = -1, seq = 0, last = null;
    function choose(i) {
      shown.forEach(function (li, k) {
        li.classList.toggle("active", k === i);
        if (k === i) { li.setAttribute("aria-current", "true"); } else { li.removeAttribute("aria-current"); }
      });
      active = i;
      if (i >= 0) { input.setAttribute("aria-activedescendant", shown[i].id); shown[i].scrollIntoView({ block: "nearest" }); } else { input.removeAttribute("aria-activedescendant"); }
    }
    // show lists a page of results once their documents are loaded; my,
    // when given, is the query's number, and a newer query's results
    // loaded first are not replaced by these.
    function show(res, from, my) {
      var page = res.results.slice(from, from + opts.size);
      return documents(page).then(function (docs) {
        if (my !== undefined && my !== seq) { return false; }
        if (from === 0) { list.textContent = ""; shown = []; }
        docs.forEach(function (d, k) {
          var li = item(form, list.id + "-" + (from + k), d, page[k], res.terms);
          shown.push(li);
          list.append(li);
        });
        opts.done(res, from + page.length);
        return true;
      });
    }
    function run() {
      var q = input.value, my = ++seq;
      if (!q.trim()) { list.textContent = ""; shown = []; active = -1; opts.done(null, 0); return; }
      query(q).then(function (res) {
        if (my !== seq) { return; }
        last = res;
        active = -1;
        return show(res, 0, my).then(function (current) { if (current) { list.dataset.q = q; } });
      }).catch(function () {
        // A part of the index missing (a copy of the site left it out).
        if (my === seq) { list.textContent = ""; shown = []; opts.done({ terms: [], results: [] }, 0); }
      });
    }
    // Each keystroke runs the query at once: a query is a few
    // milliseconds once its parts are loaded, and the answer to an older
    // one is dropped (seq).
    input.addEventListener("input", run);
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        if (!shown.length) { return; }
        ev.preventDefault();
        var n = active + (ev.key === "ArrowDown" ? 1 : -1);
        choose(Math.max(-1, Math.min(shown.length - 1, n)));
      } else if (ev.key === "Enter" && active >= 0) {
        ev.preventDefault();
        location.href = shown[active].querySelector("a").href;
      } else if (ev.key === "Escape") {
        opts.escape();
      }
    });
    // Enter submits the form unless a result is chosen: then it opens it.
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (active >= 0) { location.href = shown[active].querySelector("a").href; } else { opts.submit(input.value); }
    });
    if (input.value.trim()) { run(); }
    return { run: run, more: function () { if (last) { show(last, shown.length); } } };
  }

  var pageURL = new URL("index.html", dir).href;
  if (header) {
    var hin = header.querySelector("input"), pop = header.querySelector(".search-popup");
    var all = document.createElement("a");
    attach(header, hin, pop, {
      size: 8,
      done: function (res) {
        pop.hidden = !res;
        if (!res) { return; }
        if (!res.results.length) { pop.append(Object.assign(document.createElement("li"), { textContent: header.dataset.none })); }
        all.href = pageURL + "?q=" + encodeURIComponent(hin.value);
        all.textContent = header.dataset.all + " (" + res.results.length + ")";
        var li = document.createElement("li");
        li.className = "search-all";
        li.append(all);
        pop.append(li);
      },
      escape: function () { pop.hidden = true; },
      submit: function (q) { location.href = pageURL + "?q=" + encodeURIComponent(q); }
    });
    header.addEventListener("focusout", function (ev) {
      if (!header.contains(ev.relatedTarget)) { pop.hidden = true; }
    });
    hin.addEventListener("focus", function () { if (pop.childNodes.length) { pop.hidden = false; } });
  }
  if (pageForm) {
    var pin = pageForm.querySelector("input"), out = document.getElementById("fc:search-results");
    var count = document.getElementById("fc:search-count"), more = document.createElement("button");
    more.type = "button";
    more.textContent = pageForm.dataset.more;
    var ui = attach(pageForm, pin, out, {
      size: 10,
      done: function (res, n) {
        count.textContent = !res ? "" : res.results.length ? plural(pageForm.dataset.count, res.results.length) : pageForm.dataset.none;
        if (res && n < res.results.length) { out.after(more); } else { more.remove(); }
      },
      escape: function () {},
      submit: function (q) {
        try { history.replaceState(null, "", "?q=" + encodeURIComponent(q)); } catch (e) { /* a file:// page may refuse */ }
        ui.run();
      }
    });
    more.addEventListener("click", function () { ui.more(); });
    var q = new URLSearchParams(location.search).get("q");
    if (q) { pin.value = q; ui.run(); }
  }
  api.query = query;
  api.fold = function (s) { return load("meta.js").then(function () { return fold(s); }); };
  api.tokens = function (s) { return load("meta.js").then(function () { return tokens(s); }); };
  // Typed before this script ran: search now.
  if (header && document.activeElement === header.querySelector("input") && header.querySelector("input").value) {
    header.querySelector("input").dispatchEvent(new Event("input"));
  }
})();
