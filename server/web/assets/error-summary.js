// A page that comes back with "There is a problem" moves focus to that summary, so that a screen
// reader announces it and a keyboard user starts from it (the NHS.UK error summary pattern).
const summary = document.querySelector(".nhsuk-error-summary");
if (summary) summary.focus();
