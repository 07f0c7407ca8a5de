// Play buttons (/assets/play.js, LMS origin). Enhances, anywhere on a page:
//
//   <form class="js-play" method="post" action="/learning/courses/12/play" target="lms-attempt-34">
//   <a href="/player/attempts/34" data-play-url="/player/attempts/34">Play</a>
//
// The player opens in a window of its own, named per attempt (the player names its window
// `lms-attempt-<id>` itself): a second Play for an attempt whose window is open focuses that
// window instead of opening another. If a pop-up blocker stops the window, the page says so and
// offers to open the course in this tab. Without this script the form still opens a new tab
// (its target) and the link opens the player in this tab.

const FEATURES = "popup=yes,width=1100,height=800";
const FALLBACK_NAME = "lms-player";

function windowNameFor(url: string): string {
  const attempt = /\/player\/attempts\/(\d+)/.exec(url);
  return attempt ? `lms-attempt-${attempt[1]}` : FALLBACK_NAME;
}

/** An open window of that name, or a new empty one; null when a pop-up blocker refused it. */
function openNamed(name: string): Window | null {
  return window.open("", name, FEATURES);
}

function showsPlayer(candidate: Window): boolean {
  try {
    return candidate.location.pathname.startsWith("/player/");
  } catch {
    return true; // not readable: something is loaded there, leave it be
  }
}

function showBlocked(after: Element, openHere: () => void): void {
  const existing = after.nextElementSibling;
  if (existing?.classList.contains("app-play-blocked")) {
    existing.querySelector("button")?.focus();
    return;
  }
  const notice = document.createElement("div");
  notice.className = "nhsuk-warning-callout app-play-blocked";
  notice.setAttribute("role", "alert");
  const heading = document.createElement("h3");
  heading.className = "nhsuk-warning-callout__label";
  heading.textContent = "The course window was blocked";
  const text = document.createElement("p");
  text.textContent = "Your browser stopped the course from opening in a new window. Allow pop-ups for this site and press Play again, or open the course in this tab.";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "nhsuk-button nhsuk-button--secondary";
  button.textContent = "Open the course in this tab";
  button.addEventListener("click", openHere);
  notice.append(heading, text, button);
  after.after(notice);
  button.focus();
}

/**
 * The windows this page opened, by the name it opened them with. A player renames its window
 * `lms-attempt-<id>` once it knows its attempt, so a start-type Play's name (`lms-course-<id>`)
 * no longer finds it: this reference still does, and a second press (or a double-click) focuses
 * the window instead of opening another for the same attempt.
 */
const openedByName = new Map<string, Window>();

document.addEventListener("submit", (event) => {
  const form = event.target instanceof HTMLFormElement && event.target.classList.contains("js-play") ? event.target : null;
  if (!form || event.defaultPrevented) return;
  const name = form.target || FALLBACK_NAME;
  const known = openedByName.get(name);
  if (known && !known.closed) {
    event.preventDefault();
    known.focus();
    return;
  }
  const opened = openNamed(name);
  if (!opened) {
    event.preventDefault();
    showBlocked(form, () => {
      form.removeAttribute("target");
      form.submit();
    });
    return;
  }
  if (showsPlayer(opened)) {
    event.preventDefault();
    opened.focus();
    return;
  }
  // The form's own submission now fills the window just opened.
  form.target = name;
  openedByName.set(name, opened);
  opened.focus();
});

document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest<HTMLAnchorElement>("a[data-play-url]") : null;
  if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  const url = link.dataset.playUrl ?? link.href;
  const opened = openNamed(link.dataset.playWindow || windowNameFor(url));
  if (!opened) {
    showBlocked(link, () => window.location.assign(url));
    return;
  }
  if (!showsPlayer(opened)) opened.location.href = url;
  opened.focus();
});
