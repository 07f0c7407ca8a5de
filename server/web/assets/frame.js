// The page frame's script, from our own origin (the CSP allows no other): nhsuk-frontend's header
// folds the menu's links into "More" where they do not fit. The class says the browser runs
// nhsuk-frontend's scripts, which its styles wait for; without it the links wrap instead.
import { initHeader } from "/assets/nhsuk/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initHeader();
