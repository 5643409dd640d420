// Progressive enhancement only: every page works without this file.
// Quick exit (issue 4): one click or Shift pressed three times leaves for a neutral site and
// replaces the current history entry, so "Back" does not return to Vern.
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  if (!link) { return; }
  var target = link.getAttribute("href");
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.style.display = "none";
    try { document.title = ""; } catch (e) { /* ignore */ }
    window.location.replace(target);
  }
  link.addEventListener("click", leave);
  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift" || event.repeat) { return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 1500; });
    presses.push(now);
    if (presses.length >= 3) { leave(null); }
  });
})();
