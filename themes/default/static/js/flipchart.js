// flipchart: small enhancements for every page. Nothing here contacts
// another host.
(function () {
  "use strict";
  // Folded content (solutions) prints open, then folds back.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.open = true;
      opened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
  // The contents of the manual: on a narrow screen, behind a button.
  document.querySelectorAll(".nav-toggle[hidden]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () {
      b.setAttribute("aria-expanded", b.getAttribute("aria-expanded") === "true" ? "false" : "true");
    });
  });
  // A print edition's Print button: shown only where it can work.
  document.querySelectorAll(".print-tools[hidden]").forEach(function (el) {
    if (typeof window.print !== "function") { return; }
    el.hidden = false;
    el.addEventListener("click", function (ev) {
      if (ev.target.closest("button[data-print-page]")) { window.print(); }
    });
  });
})();
