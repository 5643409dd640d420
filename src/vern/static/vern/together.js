// "Assess together" (issue 17), progressive enhancement only: without this file the mode
// works (the server locks it after VERN_TOGETHER_IDLE_SECONDS; the consent is signed with the
// typed name and the tick box).
(function () {
  "use strict";
  var body = document.body;
  // Idle: show the neutral lock screen as soon as the server would lock it.
  var seconds = parseInt(body.getAttribute("data-idle-seconds") || "0", 10);
  var lockUrl = body.getAttribute("data-lock-url");
  if (seconds > 0 && lockUrl && window.location.pathname !== lockUrl) {
    var timer = null;
    var reset = function () {
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(function () { window.location.replace(lockUrl); }, seconds * 1000);
    };
    ["pointerdown", "keydown", "input", "scroll", "touchstart"].forEach(function (name) {
      document.addEventListener(name, reset, { passive: true });
    });
    reset();
  }
  // The signature pad: a canvas drawn with a finger, a pen or the mouse, sent as a PNG.
  var pad = document.querySelector("[data-signature-pad]");
  if (!pad) { return; }
  var canvas = pad.querySelector("canvas");
  var field = document.getElementById("signature-data");
  var ctx = canvas.getContext("2d");
  if (!ctx || !field) { return; }
  pad.hidden = false;
  var drawn = false;
  var drawing = false;
  function blank() {
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.lineWidth = 3;
    ctx.lineCap = "round";
    ctx.strokeStyle = "#000000";
    drawn = false;
    field.value = "";
  }
  function point(event) {
    var box = canvas.getBoundingClientRect();
    return {
      x: (event.clientX - box.left) * (canvas.width / box.width),
      y: (event.clientY - box.top) * (canvas.height / box.height)
    };
  }
  canvas.addEventListener("pointerdown", function (event) {
    drawing = true;
    canvas.setPointerCapture(event.pointerId);
    var p = point(event);
    ctx.beginPath();
    ctx.moveTo(p.x, p.y);
    event.preventDefault();
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!drawing) { return; }
    var p = point(event);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    drawn = true;
  });
  function end() {
    if (!drawing) { return; }
    drawing = false;
    if (drawn) { field.value = canvas.toDataURL("image/png"); }
  }
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  pad.querySelector("[data-signature-clear]").addEventListener("click", blank);
  blank();
})();
