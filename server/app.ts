import path from "node:path";
import { fileURLToPath } from "node:url";
import express from "express";
import helmet from "helmet";
import type { AppDeps } from "./deps.ts";
import { sessionMiddleware, csrfMiddleware } from "./web/session.ts";
import { createSessionStore } from "./web/session-store.ts";
import { requestLogger } from "./web/logging.ts";
import { loadUser } from "./web/auth.ts";
import { nhsukStylesheet } from "./web/nhsuk-stylesheet.ts";
import { frameBranding, logoOrigin, trustLogoRoutes } from "./web/branding.ts";
import { errorHandler, notFoundHandler } from "./web/error-handler.ts";
import { refuseNul } from "./web/nul-characters.ts";
import { helpRoutes, linkContacts } from "./web/help.ts";
import { accountRoutes, recoveryRoutes } from "./accounts/index.ts";
import { adminRoutes } from "./admin/index.ts";
import { catalogRoutes } from "./catalog/index.ts";
import { peopleRoutes } from "./people/index.ts";
import { setupRoutes } from "./setup/index.ts";
import { createMailDelivery } from "./mail/index.ts";
import { portalRoutes } from "./portal/index.ts";
import { packageRoutes } from "./packages/index.ts";
import { learningRoutes, certificationRoutes, courseSearchRoutes, creditEarnedAttempts } from "./learning/index.ts";
import { classAdminRoutes, classLearnerRoutes } from "./classroom/index.ts";
import { certificateRoutes } from "./certificates/index.ts";
import { forumRoutes } from "./forums/index.ts";
import { learningBar } from "./web/learning-bar.ts";
import { complianceRoutes, recordRoutes } from "./compliance/index.ts";
import { playerRoutes, runtimeRoutes } from "./runtime/index.ts";
import { playerAssetRoutes } from "./web/player-assets.ts";
import { healthRoutes } from "./web/health-routes.ts";
import { compressWhereSafe } from "./web/compress.ts";
import { problemFor } from "./problems.ts";
import { headerSection } from "./web/header-section.ts";


const here = path.dirname(fileURLToPath(import.meta.url));
const nhsukAssets = path.resolve(here, "../node_modules/nhsuk-frontend/dist/nhsuk");

/** Builds the LMS app without listening, so that supertest drives the very same app. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.set("trust proxy", deps.config.trustProxy);
  app.set("view engine", "ejs");
  app.set("views", path.join(here, "web/views"));
  // Each template compiled once per process, whatever NODE_ENV says: Express caches views only
  // when NODE_ENV=production, which `npm start` does not set, and without it EJS compiled every
  // page and each of its includes again on every request: 0.5-1 ms of CPU a page (Home, Current
  // Learning, Log in), on an event loop that 50 launches at once keep busy (bench:launch).
  app.set("view cache", true);
  app.disable("x-powered-by");
  app.locals.publicUrl = deps.config.publicUrl;
  // The page frame's Help link and Need Help? footer come from configuration, on every page.
  app.locals.helpUrl = deps.config.helpUrl;
  app.locals.needHelp = deps.config.needHelp.map(linkContacts);
  // The trust's name, logo and footer line (TRUST_NAME, TRUST_LOGO, FOOTER_TEXT), on every page.
  app.locals.branding = frameBranding(deps.config.branding);
  // Every form's error pattern: the message beside a field (problems.ts).
  app.locals.problemFor = problemFor;
  // Started (on a timer) by main.ts; requests that queue mail kick it at once.
  const mail = createMailDelivery(deps);
  app.locals.mail = mail;

  const sessions = createSessionStore(deps.db);
  // The runtime first, on a lean stack of its own (see its routes): a player commits every few
  // seconds and need not pass the page middleware below.
  // A commit that completes learning is credited in the same transaction as the batch that stored
  // it: the runtime is handed learning's crediting step here, rather than importing the area above it.
  app.use("/runtime", runtimeRoutes(deps, sessions, creditEarnedAttempts));

  app.use(requestLogger(deps.logger));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          // A logo address in configuration (TRUST_LOGO) adds its origin, and only that.
          imgSrc: ["'self'", "data:", ...logoOrigin(deps.config.branding)],
          // nhsuk-frontend's stylesheet names fonts on assets.nhs.uk; the LMS must work offline,
          // so only our own fonts load and the rest falls back to the system sans-serif.
          fontSrc: ["'self'"],
          // Course content runs only on the content origin, inside the player window.
          frameSrc: [deps.config.contentUrl],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
          upgradeInsecureRequests: deps.config.publicUrl.startsWith("https:") ? [] : null,
        },
      },
      strictTransportSecurity: deps.config.publicUrl.startsWith("https:"),
      // Course content that opens its lessons in a window of their own finds the API through
      // window.opener (the RTE's discovery: the SCO's parents, then its opener's); "same-origin"
      // cut every window the content frame opens off from it. A page opened by another site is
      // still cut off from that site, and the player window, opened by an LMS page, keeps its
      // opener (to refresh it after Home) only if both pages send the same policy: hence every page.
      crossOriginOpenerPolicy: { policy: "same-origin-allow-popups" },
    }),
  );
  app.use(healthRoutes(deps));
  app.use(compressWhereSafe());
  app.get("/favicon.ico", (_req, res) => res.redirect(301, "/assets/favicon.svg"));
  app.get("/assets/nhsuk/nhsuk-frontend.min.css", nhsukStylesheet(nhsukAssets));
  app.use("/assets/nhsuk", express.static(nhsukAssets, { maxAge: "7d", immutable: true }));
  app.use(playerAssetRoutes());
  app.use(trustLogoRoutes(deps.config.branding));
  app.use("/assets", express.static(path.join(here, "web/assets"), { maxAge: "1h" }));
  app.use(express.urlencoded({ extended: false, limit: "100kb" }));
  app.use(express.json({ limit: "1mb" }));
  app.use(refuseNul);
  app.use(sessionMiddleware(deps, sessions));
  app.use(csrfMiddleware());
  app.use(loadUser);
  app.use(learningBar);
  app.use(headerSection);
  // A logged-in page may hold a person's records: a shared ward computer's Back button must not show them after Logout.
  app.use((_req, res, next) => {
    if (res.locals.user) res.set("Cache-Control", "no-store");
    next();
  });

  app.use(accountRoutes(deps));
  app.use(recoveryRoutes({ ...deps, mail }));
  app.use(peopleRoutes({ ...deps, mail }));
  app.use(setupRoutes({ ...deps, mail }));
  app.use(adminRoutes({ ...deps, mail }));
  app.use(catalogRoutes(deps));
  app.use(portalRoutes(deps));
  app.use(helpRoutes());
  app.use(packageRoutes(deps));
  app.use(learningRoutes(deps));
  app.use(certificationRoutes(deps));
  app.use(classLearnerRoutes(deps));
  app.use(classAdminRoutes(deps));
  app.use(certificateRoutes(deps));
  app.use(forumRoutes(deps));
  app.use(courseSearchRoutes(deps));
  app.use(complianceRoutes(deps));
  app.use(recordRoutes(deps));
  app.use(playerRoutes(deps));

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
