// Injected by the malicious SCO (malicious-sco.js) into its launcher's window, which shares its
// origin: posts a forged message to the player window as the launcher itself, the one window whose
// messages the player accepts.
(function () {
  "use strict";
  var message = JSON.parse(document.currentScript.dataset.message);
  window.parent.postMessage(message, document.body.dataset.lmsOrigin);
})();
