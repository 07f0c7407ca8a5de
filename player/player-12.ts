// The player window for SCORM 1.2 courses: scorm-again's 1.2 API only (player-window.ts).
import { startPlayerWindow } from "./player-window.ts";
import { Scorm12Player } from "./scorm12-player.ts";

void startPlayerWindow("1.2", (context) => new Scorm12Player(context));
