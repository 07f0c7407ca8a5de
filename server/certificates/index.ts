import type { Db } from "../db/connect.ts";
import { createCertificateStore } from "./store.ts";

// The certificates area's public surface: what the certification page and Verify a learner show
// of a person's certificates. Other areas import this file, never the store behind it.

export { groupedCode } from "./codes.ts";
export { certificateRoutes } from "./routes.ts";

/** The subscription whose completion Download certificate is for: the latest completed, also while a renewal is under way. */
export function latestCompletedSubscription(db: Db, personId: number, certificationId: number): Promise<number | null> {
  return createCertificateStore(db).latestCompleted(personId, certificationId);
}

/** Every certification and course the person has completed, each with its certificate's code. */
export function completedLearningOf(db: Db, personId: number) {
  return createCertificateStore(db).completedLearningOf(personId);
}
