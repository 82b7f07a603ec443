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
})();
