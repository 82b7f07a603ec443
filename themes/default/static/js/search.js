// flipchart search, on every page: loads the search engine
// (search-engine.js) only once search is used, by focusing or typing in a
// search field, pressing "/", or opening the search page with ?q=. The
// index is script files of this site: nothing leaves the device.
(function () {
  "use strict";
  var me = document.currentScript;
  var src = me && me.src.replace(/search\.js([?#].*)?$/, "search-engine.js");
  var fields = [document.getElementById("fc:search"), document.getElementById("fc:q")].filter(Boolean);
  if (!src || !fields.length) { return; }
  var asked = false;
  function load() {
    if (asked) { return; }
    asked = true;
    var s = document.createElement("script");
    s.src = src;
    document.head.appendChild(s);
  }
  fields.forEach(function (f) {
    f.addEventListener("focus", load);
    f.addEventListener("input", load);
  });
  // "/" focuses the search field, unless one is typing in a field.
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var t = ev.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) { return; }
    ev.preventDefault();
    fields[0].focus();
  });
  if (document.getElementById("fc:search") && /[?&]q=/.test(location.search)) { load(); }
})();
