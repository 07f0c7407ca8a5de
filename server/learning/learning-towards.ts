import type { Db } from "../db/connect.ts";
import { createCertificationStore } from "./certification-store.ts";
import { effectiveStatus } from "./crediting.ts";

/**
 * Find Learning for a competency: each certification that gives it, with the person's status and
 * how many of its components they have completed ("2 of 3 components completed").
 */
export async function learningTowards(db: Db, personId: number, competencyId: number, today: string) {
  const store = createCertificationStore(db);
  return Promise.all(
    (await store.certificationsGiving(competencyId)).map(async (certification) => {
      const subscription = await store.latestSubscription(personId, certification.id);
      const components = await store.credit.componentsOf(certification.id);
      // Credits of courses still components: one dropped from the catalog keeps its credit, uncounted.
      const credits = subscription ? await store.credits(subscription.id) : new Map();
      const credited = components.filter((component) => credits.has(component.courseCode)).length;
      const status = subscription ? effectiveStatus(subscription, today) : null;
      return { certification, status, progress: subscription ? `${credited} of ${components.length} components completed` : "" };
    }),
  );
}
