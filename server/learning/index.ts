import type { Db } from "../db/connect.ts";
import { createCertificationStore } from "./certification-store.ts";

// The learning area's public surface: the learner's pages (My e-Learning, Current Learning, the
// certification page, course search), subscribing and enrolling, crediting (handed to the runtime
// writer by app.ts), attempts' results, and the booking states a classroom place moves through.
// Other areas import this file, never the modules behind it.

export { attemptResult } from "./attempt-result.ts";
export { attendanceAttempt } from "./attendance.ts";
export { previewVersion } from "./attempts.ts";
export { AWAITING_PLACE_STATES, BOOKED_STATES, CANCELLABLE_STATES, type ClassroomState, HOLDS_PLACE_STATES, LIVE_STATES, PLACE_STATES } from "./booking-states.ts";
export { certificationRoutes } from "./certification-routes.ts";
export { certificationView, certificationViews } from "./certification-view.ts";
export { courseCodesOfCertification, courseCodesOfCompetency } from "./course-search-index-store.ts";
export { refreshCourseSearch } from "./course-search-index.ts";
export { courseSearchRoutes } from "./course-search-routes.ts";
export { COURSE_STATUSES, type CourseStatus, courseStatusCounts, courseStatuses, courseStatusPages } from "./course-status.ts";
export { creditEarnedAttempts, expireOverdueSubscriptions, settleSubscriptions } from "./credit-service.ts";
export { effectiveStatus } from "./crediting.ts";
export { learningTowards } from "./learning-towards.ts";
export { MY_ELEARNING_LIMIT, myELearning } from "./my-elearning.ts";
export { learningRoutes } from "./routes.ts";
export { enrol } from "./subscriptions.ts";

/** The components a subscription has credited, by course code, with how and when. */
export function creditsOf(db: Db, subscriptionId: number) {
  return createCertificationStore(db).credits(subscriptionId);
}

/** The id of the certification with this name, if there is one: the lms command names certifications. */
export function certificationIdNamed(db: Db, name: string) {
  return createCertificationStore(db).certificationIdNamed(name);
}
