// Reloads a page that shows work still running (an element with data-refresh-seconds), e.g. report exports.
(function () {
  "use strict";
  var el = document.querySelector("[data-refresh-seconds]");
  if (!el) { return; }
  var seconds = parseInt(el.getAttribute("data-refresh-seconds"), 10) || 5;
  window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
}());
