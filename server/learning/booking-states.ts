// The states of a classroom booking, which the certification page, Current Learning and Search
// Course show as Component Status; the classroom area's rules (class-rules.ts) move bookings
// between them.

/** A classroom enrolment's state, in words L&D and learners read ("Enrolled" as for e-learning). */
export type ClassroomState = "Requested" | "Waiting List" | "Enrolled" | "Attended" | "Did Not Attend" | "Cancelled" | "Rejected";

/** States that hold or wait for a place; the others have ended (Attended and Did Not Attend keep theirs). */
export const LIVE_STATES: readonly ClassroomState[] = ["Requested", "Waiting List", "Enrolled", "Attended", "Did Not Attend"];
/** States that use one of the class's places. */
export const PLACE_STATES: readonly ClassroomState[] = ["Enrolled", "Attended", "Did Not Attend"];
/** A booking the learner may learn under now: Component Status Enrolled, and Play. */
export const HOLDS_PLACE_STATES: readonly ClassroomState[] = ["Enrolled", "Attended"];
/** A booking that waits for L&D or for a place: the learner neither plays nor books again. */
export const AWAITING_PLACE_STATES: readonly ClassroomState[] = ["Requested", "Waiting List"];
/** A booking still standing, with a place or waiting for one: one per course at a time. */
export const BOOKED_STATES: readonly ClassroomState[] = [...HOLDS_PLACE_STATES, ...AWAITING_PLACE_STATES];
/** States a learner (or L&D) may still cancel, before the class starts. */
export const CANCELLABLE_STATES: readonly ClassroomState[] = ["Requested", "Waiting List", "Enrolled"];
