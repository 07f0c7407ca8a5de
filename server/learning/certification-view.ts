import type { Db } from "../db/connect.ts";
import type { PerformanceStatus } from "../scorm/status.ts";
import { guideDate } from "../format.ts";
import { localDate } from "../clock.ts";
import { componentCourseCodes, componentOutcome, effectiveStatus, renewal, renewalWords, warnBeforePlay, type AttemptFacts, type Renewal, type SubscriptionStatus } from "./crediting.ts";
import { createCertificationStore, type Certification, type CourseOffer, type EnrolmentRow, type SubscriptionRow } from "./certification-store.ts";
import type { ComponentRow } from "./credit-store.ts";

/** The guide's Component Status: Planned until the component is credited, then Completed. */
export type ComponentStatus = "Planned" | "Completed";

export interface ComponentRowView {
  componentId: number;
  course: string;
  offer: CourseOffer | null;
  completionDate: string | null;
  componentStatus: ComponentStatus;
  enrolment: EnrolmentRow | null;
  performanceStatus: PerformanceStatus;
  /** Why it does not count (yet), or how it was satisfied; null when plainly done. */
  reason: string | null;
  latestAttemptId: number | null;
  /**
   * What the Play column offers: Play itself (learning counts), the warning first (it would not),
   * a classroom class's words instead (the booked class is the route that counts), or nothing.
   */
  play: "play" | "warn" | "classroom" | null;
  /** What the learner does next for this component (Search Course shows it beside the course). */
  nextAction: NextAction;
}

/** The guide's steps in order: Subscribe, then Enrol (Choose or Enrol in class), then Play. */
export type NextAction = "Subscribe" | "Enrol" | "Play" | "Attend your class" | "Awaiting a place" | "Completed" | "Not available yet";

export interface CertificationView {
  certification: Certification;
  /** The latest subscription with its status as of today (Expired when past its complete-by date). */
  subscription: { id: number; status: SubscriptionStatus; subscribedAt: string; completeBy: string; completedAt: string | null } | null;
  components: ComponentRowView[];
  done: number;
  /** Play warns first (and offers to subscribe): learning played now would count toward nothing. */
  warnBeforePlay: boolean;
  /**
   * After completing: the competency's expiry (the latest held; null when it never expires,
   * undefined when none is held) and the renewal rule's outcome, in words.
   */
  completion: { expiresOn: string | null | undefined; renewal: Renewal; words: string } | null;
}

/**
 * The certification page for one learner (the guide's "Learning Certification"): the latest
 * subscription, and each component's Component Status (the guide's Planned until it is credited,
 * then Completed; the enrolment's own state is in Enrolment Details), Performance Status and, when
 * it does not count, why. A component booked on a classroom class says the class is what counts.
 */
export async function certificationView(db: Db, personId: number, certificationId: number, today: string): Promise<CertificationView | undefined> {
  return (await certificationViews(db, personId, [certificationId], today)).get(certificationId);
}

/**
 * The certification page of each of these certifications, by id (absent: no such certification),
 * read in ten statements however many there are. Current Learning shows a learner's every
 * certification; built one by one, six statements each, 25 certifications cost 150 statements a
 * page. Every view, the single page's too, is built by certificationViewOf from the same facts.
 */
export async function certificationViews(db: Db, personId: number, certificationIds: number[], today: string): Promise<Map<number, CertificationView>> {
  const store = createCertificationStore(db);
  const ids = [...new Set(certificationIds)];
  if (ids.length === 0) return new Map();
  const [certifications, componentsOf, latestOf] = await Promise.all([store.certifications(ids), store.componentsOfCertifications(ids), store.latestSubscriptions(personId, ids)]);
  const codes = [...new Set([...componentsOf.values()].flatMap(componentCourseCodes))];
  const subscriptionIds = [...latestOf.values()].map((subscription) => subscription.id);
  const completedCompetencies = [...certifications.values()].filter((certification) => latestOf.get(certification.id)?.status === "Completed").map((certification) => certification.competencyId);
  const [offers, attempts, creditsOf, enrolmentsOf, heldExpiries] = await Promise.all([
    store.offers(codes),
    store.attemptsWithPassMarks(personId, codes),
    store.creditsOfSubscriptions(subscriptionIds),
    store.enrolmentsOfSubscriptions(subscriptionIds),
    store.heldExpiries(personId, [...new Set(completedCompetencies)]),
  ]);
  const views = new Map<number, CertificationView>();
  for (const certification of certifications.values()) {
    const latest = latestOf.get(certification.id);
    views.set(
      certification.id,
      certificationViewOf(
        {
          certification,
          components: componentsOf.get(certification.id) ?? [],
          latest,
          offers,
          attempts,
          credits: (latest && creditsOf.get(latest.id)) || new Map(),
          enrolments: (latest && enrolmentsOf.get(latest.id)) || new Map(),
          heldExpiry: heldExpiries.get(certification.competencyId),
        },
        today,
      ),
    );
  }
  return views;
}

/** What one certification's page is built from, read for many at once by certificationViews. */
interface CertificationFacts {
  certification: Certification;
  components: ComponentRow[];
  latest: SubscriptionRow | undefined;
  /** By course code; may hold other certifications' courses too. */
  offers: Map<string, CourseOffer>;
  /** The person's attempts, oldest first; may hold other certifications' courses too. */
  attempts: AttemptFacts[];
  /** The latest subscription's credits, by course code. */
  credits: Map<string, { how: string; creditedAt: string; attemptId: number }>;
  /** The latest subscription's enrolments, by course id. */
  enrolments: Map<number, EnrolmentRow>;
  /** The competency's held expiry (null: never expires; undefined: none held). */
  heldExpiry: string | null | undefined;
}

function certificationViewOf(facts: CertificationFacts, today: string): CertificationView {
  const { certification, components, latest, offers, credits, enrolments } = facts;
  const codes = new Set(componentCourseCodes(components));
  const attempts = facts.attempts.filter((attempt) => codes.has(attempt.courseCode));
  const subscription = latest ? { ...latest, status: effectiveStatus(latest, today) } : null;

  const warn = warnBeforePlay(subscription?.status ?? null, certification.renewable);
  const rows = components.map((component): Omit<ComponentRowView, "nextAction"> => {
    const offer = offers.get(component.courseCode) ?? null;
    const own = attempts.filter((attempt) => attempt.courseCode === component.courseCode && !attempt.preview);
    const credit = credits.get(component.courseCode);
    const enrolment = offer ? (enrolments.get(offer.courseId) ?? null) : null;
    const latestAttempt = own.at(-1) ?? null;
    // A classroom booking under way is the route that counts: its class, not the e-learning.
    const booked = !credit && subscription?.status === "Subscribed" && enrolment?.classroom === true;
    return {
      componentId: component.id,
      course: component.courseCode,
      offer,
      completionDate: credit ? localDate(credit.creditedAt) : null,
      componentStatus: credit ? "Completed" : "Planned",
      enrolment,
      performanceStatus: latestAttempt?.performanceStatus ?? "Not Attempted",
      reason: credit
        ? credit.how === "satisfied"
          ? `satisfied by passing ${component.satisfiedByCourseCode}`
          : null
        : booked
          ? classroomRoute(enrolment!)
          : nextStepFor(whyNotCounted(subscription, component, latest, attempts, offer), subscription?.status === "Subscribed" && !enrolment?.holdsPlace),
      latestAttemptId: latestAttempt?.id ?? null,
      play: !offer?.playable ? null : booked ? "classroom" : warn ? "warn" : enrolment?.holdsPlace || credit || subscription?.status === "Completed" ? "play" : null,
    };
  });
  const outcome = subscription?.status === "Completed" ? renewal(certification.renewable, facts.heldExpiry, today) : null;
  return {
    certification,
    subscription,
    components: rows.map((row) => ({ ...row, nextAction: nextAction(subscription?.status ?? null, { done: row.componentStatus === "Completed", enrolled: row.enrolment?.holdsPlace === true, awaitingPlace: row.enrolment !== null && !row.enrolment.holdsPlace, classroom: row.enrolment?.classroom === true, offer: row.offer }) })),
    done: rows.filter((row) => row.componentStatus === "Completed").length,
    warnBeforePlay: warn,
    completion: outcome ? { expiresOn: facts.heldExpiry, renewal: outcome, words: renewalWords(outcome) } : null,
  };
}

/** The words for a component booked on a classroom class: the class completes it, not the e-learning. */
function classroomRoute(booking: EnrolmentRow): string {
  if (booking.holdsPlace) return "booked on a classroom class: attending it completes this component";
  return "booked on a classroom class: attending it completes this component, once you have a place";
}

function whyNotCounted(
  subscription: CertificationView["subscription"],
  component: Parameters<typeof componentOutcome>[0],
  stored: Parameters<typeof componentOutcome>[1] | undefined,
  attempts: AttemptFacts[],
  offer: CourseOffer | null,
): string | null {
  if (!offer?.playable) return "this course is not available yet";
  if (!subscription || !stored) return "not subscribed - learning played now will not count";
  if (subscription.status === "Unsubscribed") return "unsubscribed - learning played now will not count";
  if (subscription.status === "Expired") return `subscription expired after ${guideDate(subscription.completeBy)} - subscribe again`;
  const outcome = componentOutcome(component, stored, attempts);
  return outcome.state === "not done" ? outcome.reason : null;
}

/** A component not enrolled in yet has no Play button: its first step is the class. */
function nextStepFor(reason: string | null, enrolFirst: boolean): string | null {
  return reason && enrolFirst ? reason.replace("press Play", "choose or enrol in class, then press Play") : reason;
}

/** What a component's next step depends on: credited, a place in its class or only a booking, its course's offer. */
export interface NextActionFacts {
  done: boolean;
  /** Holds a place: enrolled in the e-learning class, or a classroom place (Enrolled, Attended). */
  enrolled: boolean;
  /** A classroom request awaiting approval, or a waiting-list place: the learner waits, not enrols again. */
  awaitingPlace: boolean;
  /** The place held (or awaited) is on a classroom class: attending it is the next step, not Play. */
  classroom?: boolean;
  offer: CourseOffer | null;
}

/**
 * A component's next step for the learner, from the same facts as its row on the certification
 * page: done once credited (or once the certification is); otherwise Subscribe unless subscribed,
 * then Enrol in its class, then Play. Search Course reads the same facts for a page of courses
 * at once and asks this function too, so the two never disagree.
 */
export function nextAction(status: SubscriptionStatus | null, facts: NextActionFacts): NextAction {
  if (facts.done || status === "Completed") return "Completed";
  if (status !== "Subscribed") return "Subscribe";
  if (!facts.offer?.playable || facts.offer.classId === null) return "Not available yet";
  if (facts.enrolled) return facts.classroom ? "Attend your class" : "Play";
  return facts.awaitingPlace ? "Awaiting a place" : "Enrol";
}
