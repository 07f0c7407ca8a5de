// scorm-again 3.4.3 for the player window, typed. Its .d.ts files use extensionless relative
// imports that NodeNext resolution cannot follow, so its classes arrive as `any`: these are the
// parts of its run-time surface the player uses, written down once (checked by the browser tests).
// Types only: each edition's class comes from its own module (scorm-again-12.ts,
// scorm-again-2004.ts), so that a player bundle holds one edition's API.
import type { SequencingSettings } from "../server/scorm/manifest/runtime-settings.ts";

export interface ScormResult {
  result: string | boolean;
  errorCode: number;
  errorMessage?: string;
}

export interface CommitMetadata {
  isTerminateCommit: boolean;
  trigger: "autocommit" | "manual" | "terminate" | "offline-replay";
  sequence?: number;
}

/** scorm-again's IHttpService: how the API hands a commit to the network. */
export interface HttpService {
  /** True: the API waits for onRequestComplete before counting the commit settled. */
  readonly reportsRequestCompletion?: boolean;
  processHttpRequest(
    url: string,
    params: unknown,
    immediate: boolean,
    apiLog: (functionName: string, message: unknown, level: number, element?: string) => void,
    processListeners: (functionName: string, element?: string, value?: unknown) => void,
    metadata?: CommitMetadata,
    onRequestComplete?: () => void,
  ): ScormResult;
  updateSettings(settings: ApiSettings): void;
}

export interface SequencingListeners {
  onActivityDelivery?: (activity: { id: string }) => void;
  onSequencingSessionEnd?: (data: { reason: string; exception?: string | null; navigationRequest?: string }) => void;
  onNavigationValidityUpdate?: (data: { continue: boolean; previous: boolean; choice: Record<string, "true" | "false">; hideLmsUi?: string[] }) => void;
  onSequencingError?: (error: string, context?: string) => void;
}

export interface ApiSettings {
  autocommit?: boolean;
  autocommitSeconds?: number;
  lmsCommitUrl?: string | false;
  xhrHeaders?: Record<string, string>;
  includeCommitSequence?: boolean;
  sendFullCommit?: boolean;
  requestHandler?: (commitObject: unknown, metadata?: CommitMetadata) => unknown;
  responseHandler?: (response: Response) => Promise<ScormResult>;
  httpService?: HttpService | null;
  logLevel?: 1 | 2 | 3 | 4 | 5;
  sequencing?: SequencingSettings & { eventListeners?: SequencingListeners };
}

interface BaseApi {
  on(event: string, callback: (...args: unknown[]) => void): void;
  loadFromJSON(json: Record<string, unknown>, element?: string): void;
  /** The CMI as nested JSON, `{ cmi: {...} }`. */
  renderCMIToJSONObject(): { cmi: Record<string, unknown> };
  getFlattenedCMI(): Record<string, unknown>;
  /** An element's value without the Initialize check (what LMSGetValue / GetValue answer after it). */
  getCMIValue(element: string): unknown;
  isInitialized(): boolean;
  isTerminated(): boolean;
  reset(settings?: ApiSettings, options?: { preserveListeners?: boolean }): void;
}

export interface Scorm12Api extends BaseApi {
  LMSInitialize(parameter: ""): string;
  LMSFinish(parameter: ""): string;
  LMSGetValue(element: string): string;
  LMSSetValue(element: string, value: string): string;
  LMSCommit(parameter: ""): string;
}

export interface Scorm2004Api extends BaseApi {
  Initialize(parameter: ""): string;
  Terminate(parameter: ""): string;
  GetValue(element: string): string;
  SetValue(element: string, value: string): string;
  Commit(parameter: ""): string;
  adl: { nav: { request: string } };
  processNavigationRequest(request: string, targetActivityId?: string): boolean;
  getActivityTrackingData(activityId: string): { completionStatus: string; successStatus: string } | null;
  /** The activity tree (scorm-again's Activity objects: choice-sequencing.ts reads them). */
  getSequencingState(): { rootActivity: unknown; currentActivity: unknown };
  /** What sequencer-corrections.ts corrects: its inner objects are scorm-again's, untyped. */
  getSequencingService(): { getOverallSequencingProcess(): unknown } | null;
  /**
   * Continue or Previous, run on a copy of the tree while a SCO is running (termination included):
   * "allowed" or "blocked"; "unknown" at any other time.
   */
  previewNavigationRequest(request: "continue" | "previous"): { outcome: "allowed" | "blocked" | "unknown"; exception: string | null };
  /** The activity tree's state as a string (scorm-again's own format), and back. */
  serializeSequencingState(): string;
  deserializeSequencingState(state: string): boolean;
}
