// Who may use each route the app mounts, and how to address one: shared by the access tests
// (test/security/route-access.test.ts), the anti-forgery probe (test/security/csrf-every-route.test.ts)
// and the probe of other learners' ids (test/security/other-learners-ids.test.ts).
import type { Express } from "express";
import type { Role } from "../../server/web/roles.ts";

export type Needed = "anyone" | Role;

/**
 * Who may use each route the app mounts. A route added without an entry here fails the first
 * test: every route states who may use it.
 */
export const ACCESS: Record<string, Needed> = {
  "GET /runtime/attempts/:attemptId/scos/:scoId/state": "learner",
  "POST /runtime/attempts/:attemptId/scos/:scoId/commit": "learner",
  "POST /runtime/attempts/:attemptId/sequencing-state": "learner",
  "GET /healthz": "anyone",
  "GET /favicon.ico": "anyone",
  "GET /assets/nhsuk/nhsuk-frontend.min.css": "anyone",
  "GET /^\\/assets\\/(player-12|player-2004|play)\\.js(\\.map)?$/": "anyone",
  "GET /login": "anyone",
  "GET /help": "anyone",
  "POST /login": "anyone",
  "POST /logout": "learner",
  "GET /forgotten": "anyone",
  "POST /forgotten/username": "anyone",
  "POST /forgotten/password": "anyone",
  "POST /forgotten/unlock": "anyone",
  "GET /account/reset": "anyone",
  "POST /account/reset": "anyone",
  "GET /account/unlock": "anyone",
  "POST /account/unlock": "anyone",
  "GET /account/password": "learner",
  "POST /account/password": "learner",
  "GET /admin/accounts": "admin",
  "GET /admin/accounts/:accountId": "admin",
  "POST /admin/accounts/:accountId/role": "admin",
  "POST /admin/accounts/:accountId/reset": "admin",
  "POST /admin/accounts/:accountId/unlock": "admin",
  "GET /admin/outbox": "admin",
  "GET /admin/outbox/:messageId": "admin",
  "GET /admin/audit": "admin",
  "GET /admin/reminders": "admin",
  "POST /admin/reminders": "admin",
  "GET /admin/reminders/runs/:runId": "admin",
  "GET /admin/reports": "admin",
  "GET /admin/people": "admin",
  "GET /admin/approvals": "admin",
  "POST /admin/approvals/:recordId/approve": "admin",
  "POST /admin/approvals/:recordId/reject": "admin",
  "GET /admin/people/:personId": "admin",
  "GET /admin/attempts/:attemptId": "admin",
  "GET /admin/reports/:report.csv": "admin",
  "GET /admin/reports/people": "admin",
  "GET /admin/reports/people.csv": "admin",
  "GET /admin/reports/course-people": "admin",
  "GET /admin/reports/course-people.csv": "admin",
  "GET /admin/evidence-files/:fileId": "admin",
  "POST /admin/people/:personId/records": "admin",
  "GET /admin/people/:personId/records/export.json": "admin",
  "POST /admin/people/:personId/records/import": "admin",
  "GET /admin/people/new": "admin",
  "POST /admin/people": "admin",
  "GET /admin/people/upload": "admin",
  "GET /admin/people/upload/template.csv": "admin",
  "POST /admin/people/upload": "admin",
  "POST /admin/people/upload/checked": "admin",
  "GET /admin/people/:personId/edit": "admin",
  "POST /admin/people/:personId/details": "admin",
  "POST /admin/people/:personId/assignments": "admin",
  "POST /admin/people/:personId/assignments/:number/remove": "admin",
  "GET /catalog": "author",
  "GET /catalog/competencies/new": "author",
  "GET /catalog/competencies/:id": "author",
  "POST /catalog/competencies": "author",
  "POST /catalog/competencies/:id": "author",
  "POST /catalog/competencies/:id/delete": "author",
  "GET /catalog/certifications/new": "author",
  "GET /catalog/certifications/:id": "author",
  "POST /catalog/certifications": "author",
  "POST /catalog/certifications/:id": "author",
  "POST /catalog/certifications/:id/delete": "author",
  "GET /catalog/positions/new": "author",
  "GET /catalog/positions/:id": "author",
  "POST /catalog/positions": "author",
  "POST /catalog/positions/:id": "author",
  "POST /catalog/positions/:id/delete": "author",
  "GET /": "learner",
  "GET /author/courses": "author",
  "GET /author/courses/upload": "author",
  "POST /author/courses/upload": "author",
  "GET /author/courses/:id": "author",
  "POST /author/courses/:id/versions/:version/preview": "author",
  "GET /author/courses/:id/versions/:version/package.zip": "author",
  "POST /learning/courses/:courseId/play": "learner",
  "GET /learning/current": "learner",
  "GET /learning/attempts/:attemptId": "learner",
  "GET /learning/certifications/:certificationId": "learner",
  "GET /learning/certifications/:certificationId/subscribe": "learner",
  "POST /learning/certifications/:certificationId/subscribe": "learner",
  "GET /learning/certifications/:certificationId/unsubscribe": "learner",
  "POST /learning/certifications/:certificationId/unsubscribe": "learner",
  "GET /learning/certifications/:certificationId/components/:componentId/enrol": "learner",
  "POST /learning/certifications/:certificationId/components/:componentId/enrol": "learner",
  "GET /learning/certifications/:certificationId/components/:componentId/play": "learner",
  "GET /learning/search": "learner",
  "GET /learning/search/advanced": "learner",
  "GET /compliance": "learner",
  "GET /compliance/export.csv": "learner",
  "POST /compliance/records": "learner",
  "GET /compliance/evidence-files/:fileId": "learner",
  "GET /compliance/competencies/:competencyId/learning": "learner",
  "GET /player/attempts/:attemptId": "learner",
  "GET /admin/classes": "admin",
  "GET /admin/classes/new": "admin",
  "POST /admin/classes": "admin",
  "GET /admin/classes/:classId": "admin",
  "POST /admin/classes/:classId": "admin",
  "POST /admin/classes/:classId/cancel": "admin",
  "POST /admin/classes/:classId/enrolments/:enrolmentId/approve": "admin",
  "POST /admin/classes/:classId/enrolments/:enrolmentId/reject": "admin",
  "POST /admin/classes/:classId/enrolments/:enrolmentId/attended": "admin",
  "POST /admin/classes/:classId/enrolments/:enrolmentId/did-not-attend": "admin",
  "POST /admin/classes/:classId/enrolments/:enrolmentId/cancel": "admin",
  "GET /learning/requested": "learner",
  "POST /learning/enrolments/:enrolmentId/cancel": "learner",
  "GET /learning/subscriptions/:subscriptionId/certificate": "learner",
  "GET /learning/attempts/:attemptId/certificate": "learner",
  "GET /admin/subscriptions/:subscriptionId/certificate": "admin",
  "GET /admin/attempts/:attemptId/certificate": "admin",
  "GET /verify": "anyone",
  "GET /verify/:code": "anyone",
  "GET /learning/forums": "learner",
  "GET /learning/forums/reported": "admin",
  "GET /learning/forums/topics/:topicId": "learner",
  "POST /learning/forums/topics/:topicId/replies": "learner",
  "POST /learning/forums/topics/:topicId/follow": "learner",
  "POST /learning/forums/topics/:topicId/unfollow": "learner",
  "POST /learning/forums/topics/:topicId/lock": "admin",
  "POST /learning/forums/topics/:topicId/unlock": "admin",
  "POST /learning/forums/posts/:postId/report": "learner",
  "POST /learning/forums/posts/:postId/hide": "admin",
  "POST /learning/forums/posts/:postId/restore": "admin",
  "POST /learning/forums/posts/:postId/dismiss": "admin",
  "GET /learning/forums/:kind/:id": "learner",
  "POST /learning/forums/:kind/:id/topics": "learner",
};

/** Every route the app mounts, as "METHOD /path", found by walking its routers. */
export function mountedRoutes(app: Express): string[] {
  const routes: string[] = [];
  const walk = (stack: Array<Record<string, any>>, prefix: string) => {
    for (const layer of stack) {
      if (layer.route) for (const method of Object.keys(layer.route.methods)) routes.push(`${method.toUpperCase()} ${prefix}${String(layer.route.path)}`);
      else if (layer.handle?.stack) walk(layer.handle.stack, prefix + (layer.rawPath === "/" ? "" : String(layer.rawPath)));
    }
  };
  walk((app as unknown as { router: { stack: Array<Record<string, any>> } }).router.stack, "");
  return routes;
}

/** A concrete address for a route: every id one that does not exist, so no request changes anything real. */
export function concrete(path: string, id = "999999"): string {
  if (path.startsWith("/^")) return "/assets/player-12.js";
  return path.replace(":scoId", "I1").replace(/:[A-Za-z]+/g, id);
}
