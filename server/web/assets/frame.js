// The page frame's script, from our own origin (the CSP allows no other): nhsuk-frontend's
// components, chiefly the header, which folds the menu's links into "More" where they do not fit.
// The class tells nhsuk-frontend's styles that its scripts run (its own template sets it the same
// way); without script the header's links wrap instead. Every component marked data-module is
// started, so that styles waiting for that class (a conditional reveal, say) never wait in vain.
import { initAll } from "/assets/nhsuk/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();
