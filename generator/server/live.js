// flipchart serve: live reload. The server injects this script into the
// pages it serves; it is never part of a built site. It listens to the
// server's event stream and, once a new build is in place, reloads the page
// in place (keeping the scroll position), swaps a changed stylesheet, or
// shows the build's error over the last good page. A hidden tab closes its
// stream, so many open tabs do not use up the browser's connections.
(function () {
  "use strict";
  var stream = null;
  var version = -1;
  var overlay = null;

  // The file a URL path is published as: "/a/b/" is "a/b/index.html".
  function fileOf(p) {
    p = decodeURIComponent(p).replace(/^\/+/, "");
    if (p === "" || p.slice(-1) === "/") p += "index.html";
    return p;
  }
  var here = fileOf(location.pathname);

  function connect() {
    if (stream) return;
    stream = new EventSource("/_flipchart/events");
    stream.addEventListener("update", function (e) { handle(JSON.parse(e.data)); });
  }
  function disconnect() {
    if (stream) { stream.close(); stream = null; }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) disconnect(); else connect();
  });

  function handle(ev) {
    if (ev.kind === "hello") {
      // Reconnected after a while away: catch up on what was missed.
      var missed = version >= 0 && ev.version !== version;
      version = ev.version;
      showProblem(ev.problem);
      if (missed && !ev.problem) reload();
      return;
    }
    version = ev.version;
    if (ev.kind === "error") { showProblem(ev.problem); return; }
    showProblem(null);
    if (ev.navigate && fileOf(ev.navigate) !== here) {
      location.href = "/" + ev.navigate;
      return;
    }
    if (ev.kind === "css") { swapStyles(ev.css || []); return; }
    var mine = function (list) { return (list || []).indexOf(here) >= 0; };
    if (ev.full || mine(ev.rendered) || mine(ev.removed)) reload();
  }

  // What a page's head loads and declares, its title aside: when a template
  // edit changes it, swapping the body is not enough.
  function headKey(doc) {
    return Array.prototype.map.call(doc.head.children, function (e) {
      if (e.tagName === "TITLE" || e.id === "flipchart-live-css") return "";
      if (e.tagName === "LINK") {
        return "link " + e.rel + " " + e.media + " " + new URL(e.getAttribute("href"), location.href).pathname;
      }
      return e.cloneNode(false).outerHTML;
    }).filter(Boolean).join("\n");
  }

  // reload fetches the page again and puts the new body in place of the old,
  // at the same scroll position; the page's own scripts run again. Of two
  // reloads under way, only the later one's answer is used, whichever
  // arrives last.
  var latest = 0;
  function reload() {
    var mine = ++latest;
    var x = window.scrollX, y = window.scrollY;
    fetch(location.href, { cache: "no-store" }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.text();
    }).then(function (html) {
      if (mine !== latest) return;
      var doc = new DOMParser().parseFromString(html, "text/html");
      if (headKey(doc) !== headKey(document)) { location.reload(); return; }
      document.title = doc.title;
      var body = document.adoptNode(doc.body);
      body.querySelectorAll("script").forEach(function (old) {
        if (/\/_flipchart\//.test(old.getAttribute("src") || "")) { old.remove(); return; }
        var s = document.createElement("script");
        s.src = old.src;
        old.replaceWith(s);
      });
      document.body.replaceWith(body);
      if (overlay) document.body.appendChild(overlay);
      window.scrollTo(x, y);
      document.dispatchEvent(new CustomEvent("flipchart:reloaded"));
    }).catch(function () { location.reload(); });
  }

  // swapStyles replaces changed stylesheets without reloading: the new one
  // loads beside the old, which goes once the new one applies.
  function swapStyles(files) {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var u = new URL(link.href);
      if (files.indexOf(fileOf(u.pathname)) < 0) return;
      var fresh = link.cloneNode();
      fresh.href = u.pathname + "?v=" + Date.now();
      fresh.addEventListener("load", function () { link.remove(); });
      link.after(fresh);
    });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // showProblem shows a build error over the page, or hides it (p null).
  function showProblem(p) {
    if (overlay) { overlay.remove(); overlay = null; }
    if (!p) return;
    if (!document.getElementById("flipchart-live-css")) {
      var css = el("link");
      css.id = "flipchart-live-css";
      css.rel = "stylesheet";
      css.href = "/_flipchart/live.css";
      document.head.appendChild(css);
    }
    overlay = el("div", "flipchart-overlay");
    overlay.setAttribute("role", "alert");
    var box = el("div", "flipchart-box");
    box.appendChild(el("p", "flipchart-title", "Build failed: this page is the last good build"));
    var where = p.file + (p.line ? ":" + p.line + (p.col ? ":" + p.col : "") : "");
    box.appendChild(el("p", "flipchart-where", where));
    box.appendChild(el("p", "flipchart-message", p.message));
    if (p.hint) box.appendChild(el("p", "flipchart-hint", p.hint));
    if (p.lines && p.lines.length) {
      var pre = el("pre", "flipchart-source");
      p.lines.forEach(function (l) {
        var line = el("span", l.n === p.line ? "flipchart-line flipchart-here" : "flipchart-line");
        line.appendChild(el("span", "flipchart-n", String(l.n)));
        line.appendChild(document.createTextNode(l.text + "\n"));
        pre.appendChild(line);
      });
      box.appendChild(pre);
    }
    if (p.more) box.appendChild(el("p", "flipchart-more", "and " + p.more + " more (see the terminal)"));
    box.appendChild(el("p", "flipchart-note", "Fix the file and save: this goes away."));
    overlay.appendChild(box);
    document.body.appendChild(overlay);
  }

  connect();
})();
