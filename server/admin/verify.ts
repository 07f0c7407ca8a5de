import type { Db } from "../db/connect.ts";
import { certificationViews, attemptResult } from "../learning/index.ts";
import { flattenCmi } from "../scorm/cmi-json.ts";
import { guideDateTime } from "../format.ts";
import type { ScormVersion } from "../scorm/contract.ts";
import { completionAndSuccess } from "../scorm/status.ts";
import { complianceReason, openProgress, personCompliance } from "../compliance/index.ts";
import { attemptOwner, attemptScos, attemptsOf, earlierTriesOf, personToVerify, subscribedCertificationIds } from "./verify-reads.ts";

/**
 * Everything L&D needs to answer "my completion isn't showing": assignments and compliance with
 * reasons, each certification subscribed to with its components (status and why not credited),
 * and every attempt with its times and result.
 */
export async function learnerOverview(db: Db, personId: number, today: string) {
  const person = await personToVerify(db, personId);
  if (!person) return undefined;
  const progress = await openProgress(db, personId);
  const assignments = (await personCompliance(db, personId, today)).map((view) => ({ ...view, rows: view.rows.map((row) => ({ ...row, reason: complianceReason(row, progress.get(row.competencyId), today) })) }));
  const certificationIds = await subscribedCertificationIds(db, personId);
  const views = await certificationViews(db, personId, certificationIds, today);
  const certifications = certificationIds.flatMap((id) => views.get(id) ?? [])
    .map((view) => ({ ...view, components: view.components.map((row) => ({ ...row, reason: forLearningAndDevelopment(row.reason, String(person.first_name)) })) }));
  const attempts = (await attemptsOf(db, personId)).map((attempt) => ({ ...attempt, notCounted: notCountedBecause(attempt, certifications) }));
  return { person, assignments, certifications, attempts };
}

type Subscribed = { certification: { name: string }; subscription: { subscribedAt: string } | null; components: Array<{ course: string }> };

/**
 * Rule 1 in L&D's words, beside an attempt: learning played before the learner subscribed to a
 * certification it belongs to is recorded and shown, but counts toward nothing. Undefined when the
 * attempt could count (whether it did is the component's Why not credited).
 */
export function notCountedBecause(attempt: { code: string; started_at: string; preview: unknown }, certifications: Subscribed[]): string | undefined {
  if (attempt.preview) return "Not counted: an author's preview";
  const including = certifications.filter((view) => view.subscription && view.components.some((row) => row.course === attempt.code));
  if (including.length === 0) return "Not counted: played without a subscription to a certification that includes this course";
  if (including.some((view) => view.subscription!.subscribedAt < attempt.started_at)) return undefined;
  const first = including.map((view) => ({ name: view.certification.name, at: view.subscription!.subscribedAt })).sort((a, b) => a.at.localeCompare(b.at))[0]!;
  return `Not counted: played ${guideDateTime(attempt.started_at)}, before subscribing to ${first.name} on ${guideDateTime(first.at)}. Learning counts only when played after subscribing`;
}

/**
 * Why a component is not credited, told to L&D rather than to the learner: the certification page
 * says "press Play to start again" to the learner; here the same fact says what happened and what
 * the learner needs to do.
 */
export function forLearningAndDevelopment(reason: string | null, firstName: string): string | null {
  if (!reason) return reason;
  const enrolFirst = reason.includes("choose or enrol in class, then press Play");
  const then = enrolFirst ? `${firstName} needs to enrol in its class, then play it again` : `${firstName} needs to play it again`;
  if (reason.startsWith("played before subscribing")) return `Not counted: played before subscribing. Learning counts only when played after subscribing; ${then}`;
  if (reason.startsWith("played after the subscription ended")) return "Not counted: played after the subscription ended";
  if (reason.startsWith("completed after the complete-by date")) return `Not counted: ${reason.replace(/ - not counted$/, "")}`;
  if (reason.startsWith("failed")) return `Failed${reason.slice("failed".length).replace(/; (choose or enrol in class, then )?press Play to try again$/, "")}; ${enrolFirst ? `${firstName} needs to enrol in its class and try again` : `${firstName} needs to try again`}`;
  if (reason.startsWith("completed but not passed")) return `Completed but not passed${reason.slice("completed but not passed".length)}: an assessment counts only when passed`;
  if (reason === "not played yet") return `Not played yet`;
  if (reason === "in progress") return "In progress: started, not finished";
  if (reason === "not started") return "Not started";
  if (reason.startsWith("not subscribed")) return "Not subscribed: learning played now would not count";
  if (reason.startsWith("unsubscribed")) return "Unsubscribed: learning played now would not count";
  if (reason.startsWith("subscription expired")) return `Subscription ${reason.slice("subscription ".length).replace(/ - subscribe again$/, "")}: ${firstName} needs to subscribe again`;
  // Anything else (a classroom booking, "satisfied by passing ..."): the words already describe, not instruct.
  return reason.replace(/\bpress Play\b/g, "play it").replace(/\byou have\b/g, "they have").replace(/^./, (letter) => letter.toUpperCase());
}

export interface Interaction {
  sco: string;
  /** SCORM 2004: which learner attempt on the SCO's activity (a normal exit ends one; the next starts afresh). */
  activityAttempt: number;
  id: string;
  /** SCORM 2004's cmi.interactions.n.description: the question as the course words it. */
  description: string;
  type: string;
  response: string;
  correct: string;
  result: string;
}

/**
 * A SCO's completion or success as the LMS recorded it, and what its own data model says when that
 * differs: the LMS completes and satisfies content that reports nothing when its attempt ends (SN
 * UP.4, or a 1.2 LMSFinish), never takes a status back, and a SCORM 2004 SCO's new try starts
 * from an empty data model. L&D then see why the two differ rather than "unknown" beside Passed.
 */
export interface RecordedStatus {
  recorded: string;
  /** The data model's own value, where it differs from the recorded one; null where they agree. */
  dataModel: string | null;
}

function recordedStatus(recorded: unknown, dataModel: string): RecordedStatus {
  const value = typeof recorded === "string" && recorded !== "" ? recorded : dataModel;
  return { recorded: value, dataModel: value === dataModel ? null : dataModel };
}

/**
 * One attempt: its result, what each part of the course recorded (its SCO's CMI, in L&D's words), and each interaction with the learner's response
 * and result, the earlier tries at a SCORM 2004 SCO (archived when a new one began) before the latest.
 */
export async function attemptDetail(db: Db, attemptId: number, today: string) {
  const attempt = await attemptOwner(db, attemptId);
  if (!attempt) return undefined;
  const personId = Number(attempt.person_id);
  const certificationIds = await subscribedCertificationIds(db, personId);
  const views = await certificationViews(db, personId, certificationIds, today);
  const certifications = certificationIds.flatMap((id) => views.get(id) ?? []);
  const listed = (await attemptsOf(db, personId)).find((row) => Number(row.id) === attemptId);
  const notCounted = listed ? notCountedBecause(listed, certifications) : undefined;
  const version: ScormVersion = attempt.scorm_version === "1.2" ? "1.2" : "2004";
  const result = await attemptResult(db, Number(attempt.person_id), attemptId);
  const scos = await attemptScos(db, attemptId);
  const earlierTries = await earlierTriesOf(db, attemptId);
  const interactions: Interaction[] = earlierTries.flatMap((row) => interactionsOf(String(row.sco_identifier), Number(row.activity_attempt), flattenCmi(JSON.parse(String(row.cmi))).values));
  const titles = partTitles(attempt.manifest);
  const summaries = scos.map((sco) => {
    const flat = flattenCmi(JSON.parse(String(sco.cmi))).values;
    const scaled = flat["cmi.score.scaled"];
    interactions.push(...interactionsOf(String(sco.sco_identifier), Number(sco.activity_attempt ?? 1), flat));
    const own = completionAndSuccess(version, flat);
    return {
      sco: String(sco.sco_identifier),
      /** The part's title as the course names it; its identifier only where the manifest gives none. */
      title: titles.get(String(sco.sco_identifier)) || String(sco.sco_identifier),
      completion: recordedStatus(sco.completion_status, own.completion),
      success: recordedStatus(sco.success_status, own.success),
      score: scaled !== undefined && scaled !== "" && Number.isFinite(Number(scaled)) ? `${Math.round(Number(scaled) * 1000) / 10}%` : (flat["cmi.core.score.raw"] ?? flat["cmi.score.raw"] ?? ""),
      location: flat["cmi.location"] ?? flat["cmi.core.lesson_location"] ?? "",
      savedProgress: (flat["cmi.suspend_data"] ?? "").length > 0,
      totalTimeMs: Number(sco.total_time_ms),
      commits: Number(sco.commit_sequence),
    };
  });
  const severalTries = interactions.some((interaction) => interaction.activityAttempt > 1);
  return { personId, result: result!, summaries, interactions, severalTries, notCounted };
}

/** Each launchable part's title by its identifier, from the version's stored manifest; none when it cannot be read. */
function partTitles(manifest: unknown): Map<string, string> {
  try {
    const parsed = JSON.parse(String(manifest)) as { launchables?: Array<{ identifier?: unknown; title?: unknown }> };
    return new Map((parsed.launchables ?? []).map((part) => [String(part.identifier), typeof part.title === "string" ? part.title.trim() : ""]));
  } catch {
    return new Map();
  }
}

/** SCORM's interaction types and results (1.2 and 2004), in L&D's words; a numeric result is shown as it is. */
const INTERACTION_TYPES: Record<string, string> = { "true-false": "True or false", choice: "Multiple choice", "fill-in": "Fill in the blank", "long-fill-in": "Written answer", matching: "Matching", performance: "Task", sequencing: "Put in order", likert: "Rating scale", numeric: "Number", other: "Other" };
const INTERACTION_RESULTS: Record<string, string> = { correct: "Correct", incorrect: "Incorrect", wrong: "Incorrect", unanticipated: "Unexpected answer", neutral: "Neither right nor wrong" };

function interactionsOf(sco: string, activityAttempt: number, flat: Record<string, string>): Interaction[] {
  const indexes = new Set(Object.keys(flat).map((key) => /^cmi\.interactions\.(\d+)\./.exec(key)?.[1]).filter((n): n is string => n !== undefined));
  return [...indexes]
    .sort((a, b) => Number(a) - Number(b))
    .map((n) => {
      const at = (name: string) => flat[`cmi.interactions.${n}.${name}`] ?? "";
      return { sco, activityAttempt, id: at("id"), description: at("description"), type: INTERACTION_TYPES[at("type")] ?? at("type"), response: at("learner_response") || at("student_response"), correct: at("correct_responses.0.pattern"), result: INTERACTION_RESULTS[at("result")] ?? at("result") };
    });
}
