// Passkeys (issue 18): glue for the vendored django-otp-webauthn scripts
// (static/vendor/django-otp-webauthn/). Loaded before them (both deferred, in page order).
// Progressive enhancement only: without JavaScript the one-time code form works as before.
(function () {
  "use strict";
  // The vendored scripts call a global gettext(english): Vern's words in the page's language,
  // from a JSON data block (vern.accounts.passkey_texts), so no inline script is needed (CSP).
  var texts = {};
  var block = document.getElementById("vern-passkey-texts");
  if (block) {
    try { texts = JSON.parse(block.textContent || "{}"); } catch (e) { texts = {}; }
  }
  if (typeof window.gettext !== "function") {
    window.gettext = function (english) {
      return Object.prototype.hasOwnProperty.call(texts, english) ? texts[english] : english;
    };
  }
  // A passkey was added: on to the list (the server says where; it shows the confirmation).
  document.addEventListener("otp_webauthn.register_complete", function (event) {
    var body = event.detail && event.detail.response;
    if (body && body.redirect_url) { window.location.assign(body.redirect_url); }
  });
  // The step-up form shown in place of an export (a POST): after a passkey, send the waiting
  // form again without the code field; the session is now fresh, so the export is made.
  var script = document.currentScript;
  var inPlace = script && script.hasAttribute("data-in-place");
  document.addEventListener("otp_webauthn.verification_complete", function () {
    if (!inPlace) { return; }
    var form = document.querySelector("form[data-vern-step-up]");
    if (!form) { return; }
    var code = form.querySelector("input[name$='-code']");
    if (code) { code.closest(".ds-field") ? code.closest(".ds-field").remove() : code.remove(); }
    form.submit();
  });
})();
