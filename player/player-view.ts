// The player window's own controls (server/web/views/player/player.ejs): Home, Previous / Next,
// the contents list with a tick per completed SCO, a status line and an alert. Text goes in with
// textContent only: course and SCO titles come from untrusted manifests.

export interface NavigationState {
  previous: boolean;
  next: boolean;
  /** Per SCO id: may the learner choose it now? Absent: yes. */
  choice?: Record<string, boolean>;
  /** SCORM 2004 hideLMSUI: controls the current SCO asks the LMS to hide. */
  hidden?: Array<"previous" | "next">;
}

export interface PlayerControls {
  home(): void;
  previous(): void;
  next(): void;
  choose(scoId: string): void;
}

export class PlayerView {
  private readonly home = this.find<HTMLButtonElement>("[data-player-home]");
  private readonly previous = this.find<HTMLButtonElement>("[data-player-previous]");
  private readonly next = this.find<HTMLButtonElement>("[data-player-next]");
  private readonly statusLine = this.find<HTMLElement>("[data-player-status]");
  private readonly alertBox = this.find<HTMLElement>("[data-player-alert]");
  private readonly choices = Array.from(document.querySelectorAll<HTMLButtonElement>("[data-sco-id]"));
  private navigation: NavigationState = { previous: false, next: false };
  private busy = false;

  readonly frame = this.find<HTMLIFrameElement>("[data-player-frame]")!;

  constructor(controls: PlayerControls) {
    this.home?.addEventListener("click", () => controls.home());
    this.previous?.addEventListener("click", () => controls.previous());
    this.next?.addEventListener("click", () => controls.next());
    for (const choice of this.choices) choice.addEventListener("click", () => controls.choose(choice.dataset.scoId ?? ""));
  }

  /** The SCO on screen, marked in the contents list. */
  setCurrent(scoId: string | null): void {
    for (const choice of this.choices) {
      if (choice.dataset.scoId === scoId) choice.setAttribute("aria-current", "step");
      else choice.removeAttribute("aria-current");
    }
  }

  markCompleted(scoId: string): void {
    for (const tick of document.querySelectorAll<HTMLElement>("[data-tick]")) {
      if (tick.dataset.tick === scoId) tick.hidden = false;
    }
  }

  setNavigation(state: NavigationState): void {
    this.navigation = state;
    this.render();
  }

  /** While the player changes SCO or leaves, its controls wait. */
  setBusy(busy: boolean): void {
    this.busy = busy;
    this.render();
  }

  disableHome(): void {
    if (this.home) this.home.disabled = true;
  }

  status(text: string): void {
    if (this.statusLine) this.statusLine.textContent = text;
  }

  alert(text: string | null): void {
    if (!this.alertBox) return;
    this.alertBox.textContent = text ?? "";
    this.alertBox.hidden = text === null;
  }

  private render(): void {
    const { previous, next, choice, hidden = [] } = this.navigation;
    if (this.previous) {
      this.previous.disabled = this.busy || !previous;
      this.previous.hidden = hidden.includes("previous");
    }
    if (this.next) {
      this.next.disabled = this.busy || !next;
      this.next.hidden = hidden.includes("next");
    }
    for (const button of this.choices) button.disabled = this.busy || choice?.[button.dataset.scoId ?? ""] === false;
  }

  private find<T extends Element>(selector: string): T | null {
    return document.querySelector<T>(selector);
  }
}
