// The player window for SCORM 2004 courses: scorm-again's 2004 API and its sequencer (player-window.ts).
import { startPlayerWindow } from "./player-window.ts";
import { Scorm2004Player } from "./scorm2004-player.ts";

void startPlayerWindow("2004", (context) => new Scorm2004Player(context));
