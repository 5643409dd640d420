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

// A table wider than the screen scrolls inside its box (.vern-table-wrap, WCAG 1.4.10). Such a
// box must be reachable by keyboard to scroll it (axe: scrollable-region-focusable): when it
// overflows it becomes a focusable region named by the table's caption. Without this script
// the table still scrolls with a mouse or touch, and every browser but Safari lets the
// keyboard scroll it from the links inside it.
(function () {
  "use strict";
  var wraps = document.querySelectorAll(".vern-table-wrap");
  if (!wraps.length) { return; }
  var count = 0;
  function mark() {
    Array.prototype.forEach.call(wraps, function (wrap) {
      var overflows = wrap.scrollWidth > wrap.clientWidth + 1;
      if (overflows && !wrap.hasAttribute("tabindex")) {
        var caption = wrap.querySelector("caption");
        if (caption) {
          if (!caption.id) { count += 1; caption.id = "vern-table-caption-" + count; }
          wrap.setAttribute("aria-labelledby", caption.id);
        }
        wrap.setAttribute("role", "region");
        wrap.setAttribute("tabindex", "0");
      } else if (!overflows && wrap.getAttribute("tabindex") === "0") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-labelledby");
      }
    });
  }
  mark();
  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) { window.clearTimeout(pending); }
    pending = window.setTimeout(mark, 150);
  });
})();
