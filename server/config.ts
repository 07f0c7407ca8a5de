import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { DEFAULT_TIME_ZONE, isTimeZone } from "./clock.ts";
import { DEFAULT_MANIFEST_LIMITS, type ManifestLimits } from "./package-limits.ts";

/**
 * Configuration comes from the environment once, at boot. Every problem is listed together so
 * that an operator fixes them in one go rather than one restart at a time.
 */
export interface Config {
  /** Where the header's Help goes: the LMS's own help page, or the trust's intranet. */
  helpUrl: string;
  /** The Need Help? footer, a paragraph each: who to contact, and how (NEED_HELP, lines split at "|"). */
  needHelp: string[];
  /** The trust's own look in the page frame: its name, its logo and the footer's words (branding.ts serves a logo file). */
  branding: Branding;
  /** Whether a start on a database with no organisation creates the demo trust (DEMO_TRUST). */
  demoTrust: boolean;
  port: number;
  /** Where the content server listens; defaults to CONTENT_URL's port (set it behind a proxy). */
  contentPort: number;
  /** The LMS origin as learners reach it, e.g. http://localhost:3000 */
  publicUrl: string;
  /** The separate origin that serves untrusted course content (DESIGN.md, content isolation). */
  contentUrl: string;
  /** PostgreSQL connection string; unset means the embedded SQLite file under dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Unset means: generate one and keep it in dataDir (see secrets.ts). */
  sessionSecret: string | undefined;
  smtpUrl: string | undefined;
  /** Which proxies' X-Forwarded-For and -Proto to believe (Express's "trust proxy"): client IPs for throttling and audit, and https for Secure cookies. */
  trustProxy: string | number;
  /** Wrong passwords from one address before it waits, and the longest wait and account lock in minutes (accounts/login-failures.ts). */
  lockout: { threshold: number; minutes: number };
  /** Wrong log ins one address may make in a quarter-hour (throttle.ts); browsers known to the account are let through. */
  loginFailuresPerAddress: number;
  /** The From of every message the LMS sends. */
  mailFrom: string;
  /** A fixed "now" for demos and tests (ISO date or date-time); unset means the real clock. */
  fixedNow: string | undefined;
  /** The trust's time zone: the calendar dates of moments are read in it (clock.ts). */
  timeZone: string;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "silent";
  /** Limits on uploaded packages, checked before anything is extracted. */
  packageLimits: { maxEntries: number; maxTotalBytes: number; maxRatio: number } & ManifestLimits;
  /** What one person may store, so that no one fills the disk for everyone else. */
  quotas: {
    /** Evidence files kept for one person, and their bytes together. */
    evidenceFiles: number;
    evidenceBytes: number;
    /** Competence records one person may have awaiting approval at once. */
    awaitingApproval: number;
    /** Packages one author may upload in 24 hours. */
    authorUploadsPerDay: number;
    /** Uploads of any kind one account may send in a quarter-hour. */
    uploadsPerQuarterHour: number;
  };
  /** Uploads are refused, before a byte is written, when DATA_DIR's disk would have less than this free. */
  diskFreeFloorBytes: number;
  /** Days a new person is left to settle in (and to choose their password) before their first training reminder (REMINDER_GRACE_DAYS). */
  reminderGraceDays: number;
}

export interface Branding {
  /** In the header and in every page's title (TRUST_NAME). */
  trustName: string;
  /** The trust's logo (TRUST_LOGO): a file the LMS serves itself, or an address img-src allows for that origin only. */
  logo: { file: string } | { url: string } | undefined;
  /** What the logo says, for those who cannot see it (TRUST_LOGO_ALT). */
  logoAlt: string;
  /** The footer's line under Need Help? (FOOTER_TEXT). */
  footer: string;
}

// An origin only: the LMS serves from the root of its host, and content from the root of its own.
const origin = (name: string) =>
  z.string().refine((value) => {
    try {
      const parsed = new URL(value);
      return (parsed.protocol === "http:" || parsed.protocol === "https:") && parsed.pathname.replace(/\/+$/, "") === "" && !parsed.search && !parsed.hash;
    } catch {
      return false;
    }
  }, `${name} must be an http(s) origin with no path, e.g. http://localhost:3000`);

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;
function isIsoDateOrInstant(value: string): boolean {
  const match = ISO_INSTANT.exec(value);
  if (!match) return false;
  const [, year, month, day] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  // 2026-02-30 parses as 2 March in JavaScript; a clock setting must mean exactly what it says.
  return date.getUTCFullYear() === Number(year) && date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day);
}

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

/** Until a trust names its own contacts (NEED_HELP), the footer points to the people who always exist. */
const DEFAULT_NEED_HELP = "Support with logging in: ask your line manager or your Workforce team.|Support with completing your e-learning: contact Learning and Development.";

const DEFAULT_TRUST_NAME = "NHS Electronic Staff Record learning";
/** Words for the trust's staff, not for the people who run the LMS. */
const DEFAULT_FOOTER = "Your mandatory training, your compliance and your certificates, in one place.";
/** The image types a browser shows in an <img>, by the extension the logo file is served with. */
export const LOGO_TYPES: Record<string, string> = { ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp" };
const LOGO_MAX_BYTES = 1024 * 1024;
// One line of plain words: a name or a sentence, never markup's line breaks or control characters.
const oneLine = (name: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${name} must say something`)
    .max(max, `${name} must be at most ${max} characters`)
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), `${name} must be one line of text`);

const envSchema = z.object({
  PORT: optional(z.coerce.number().int().min(1).max(65535)),
  CONTENT_PORT: optional(z.coerce.number().int().min(1).max(65535)),
  PUBLIC_URL: optional(origin("PUBLIC_URL")),
  CONTENT_URL: optional(origin("CONTENT_URL")),
  DATABASE_URL: optional(
    z.string().regex(/^postgres(ql)?:\/\//, "DATABASE_URL must start with postgres:// or postgresql://"),
  ),
  DATA_DIR: optional(z.string()),
  SESSION_SECRET: optional(z.string().min(32, "SESSION_SECRET must be at least 32 characters")),
  SMTP_URL: optional(z.string().regex(/^smtps?:\/\//, "SMTP_URL must start with smtp:// or smtps://")),
  MAIL_FROM: optional(z.string().min(3)),
  TRUST_PROXY: optional(z.string().regex(/^(loopback|linklocal|uniquelocal|\d+|[0-9a-fA-F.:\/]+)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:\/]+))*$/, "TRUST_PROXY must be loopback, a number of proxies, or proxy addresses (CIDR), comma-separated")),
  HELP_URL: optional(z.string().regex(/^(\/[^\s]*|https?:\/\/[^\s]+)$/, "HELP_URL must be a path on the LMS (/help) or an http(s) address")),
  NEED_HELP: optional(z.string().trim().min(1, "NEED_HELP must say something").max(2000, "NEED_HELP must be at most 2,000 characters")),
  TRUST_NAME: optional(oneLine("TRUST_NAME", 100)),
  TRUST_LOGO: optional(z.string().trim().superRefine(checkLogo)),
  TRUST_LOGO_ALT: optional(oneLine("TRUST_LOGO_ALT", 200)),
  FOOTER_TEXT: optional(oneLine("FOOTER_TEXT", 500)),
  DEMO_TRUST: optional(z.enum(["on", "off"], { message: "DEMO_TRUST must be on or off" })),
  LOCKOUT_THRESHOLD: optional(z.coerce.number().int().min(1).max(100)),
  LOCKOUT_MINUTES: optional(z.coerce.number().int().min(1).max(24 * 60)),
  LOGIN_FAILURES_PER_ADDRESS: optional(z.coerce.number().int().min(1).max(1_000_000)),
  LMS_NOW: optional(
    z.string().refine(isIsoDateOrInstant, "LMS_NOW must be an ISO date or UTC date-time, e.g. 2026-03-01 or 2026-03-01T09:00:00Z"),
  ),
  PACKAGE_MAX_ENTRIES: optional(z.coerce.number().int().min(1).max(1_000_000)),
  PACKAGE_MAX_BYTES: optional(z.coerce.number().int().min(1024)),
  PACKAGE_MAX_RATIO: optional(z.coerce.number().min(2).max(100_000)),
  PACKAGE_MAX_ITEMS: optional(z.coerce.number().int().min(1).max(1_000_000)),
  PACKAGE_MAX_RESOURCES: optional(z.coerce.number().int().min(1).max(1_000_000)),
  PACKAGE_MAX_FILES_LISTED: optional(z.coerce.number().int().min(1).max(10_000_000)),
  PACKAGE_MAX_DEPTH: optional(z.coerce.number().int().min(1).max(1_000)),
  PACKAGE_MAX_SEQUENCING_RULES: optional(z.coerce.number().int().min(0).max(10_000_000)),
  PACKAGE_MAX_ATTRIBUTES: optional(z.coerce.number().int().min(100).max(100_000_000)),
  PACKAGE_MAX_MANIFEST_BYTES: optional(z.coerce.number().int().min(1024).max(1024 ** 3)),
  EVIDENCE_QUOTA_FILES: optional(z.coerce.number().int().min(1).max(10_000)),
  EVIDENCE_QUOTA_MB: optional(z.coerce.number().int().min(1).max(1_000_000)),
  AWAITING_APPROVAL_MAX: optional(z.coerce.number().int().min(1).max(10_000)),
  AUTHOR_UPLOADS_PER_DAY: optional(z.coerce.number().int().min(1).max(100_000)),
  UPLOADS_PER_QUARTER_HOUR: optional(z.coerce.number().int().min(1).max(100_000)),
  DISK_FREE_FLOOR_MB: optional(z.coerce.number().int().min(0).max(100_000_000)),
  LOG_LEVEL: optional(z.enum(["fatal", "error", "warn", "info", "debug", "silent"])),
  TIME_ZONE: optional(z.string().refine(isTimeZone, "TIME_ZONE must be an IANA time zone, e.g. Europe/London")),
  REMINDER_GRACE_DAYS: optional(z.coerce.number().int().min(0).max(365)),
});

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  if (env.TRUST_LOGO_ALT && !env.TRUST_LOGO) problems.push("TRUST_LOGO_ALT: describes a logo, but TRUST_LOGO is not set");
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const values = parsed.data;
  const port = values.PORT ?? 3000;
  const publicUrl = stripSlash(values.PUBLIC_URL ?? `http://localhost:${port}`);
  // The content origin must differ by host name, not only by port: cookies ignore ports, so
  // content on the LMS's host would send the learner's session with its requests. On a loopback
  // LMS, the other loopback name.
  const contentHost = new URL(publicUrl).hostname === "127.0.0.1" ? "localhost" : "127.0.0.1";
  const contentUrl = stripSlash(values.CONTENT_URL ?? `http://${contentHost}:${port + 1}`);
  if (new URL(contentUrl).hostname === new URL(publicUrl).hostname) {
    throw new ConfigError([
      `CONTENT_URL must be on another host name than PUBLIC_URL (both are ${new URL(publicUrl).hostname}): course content is untrusted, and browsers send a host's cookies to every port of it`,
    ]);
  }
  const contentOrigin = new URL(contentUrl);
  return Object.freeze({
    port,
    contentPort: values.CONTENT_PORT ?? Number(contentOrigin.port || (contentOrigin.protocol === "https:" ? 443 : 80)),
    publicUrl,
    contentUrl,
    databaseUrl: values.DATABASE_URL,
    dataDir: values.DATA_DIR ?? "./data",
    sessionSecret: values.SESSION_SECRET,
    smtpUrl: values.SMTP_URL,
    trustProxy: values.TRUST_PROXY === undefined ? "loopback" : /^\d+$/.test(values.TRUST_PROXY) ? Number(values.TRUST_PROXY) : values.TRUST_PROXY,
    lockout: Object.freeze({ threshold: values.LOCKOUT_THRESHOLD ?? 5, minutes: values.LOCKOUT_MINUTES ?? 30 }),
    loginFailuresPerAddress: values.LOGIN_FAILURES_PER_ADDRESS ?? 100,
    // Mail comes from the trust by name (TRUST_NAME), quoted as an email address's display name is.
    mailFrom: values.MAIL_FROM ?? `"${(values.TRUST_NAME ?? DEFAULT_TRUST_NAME).replace(/["\\]/g, "\\$&")}" <no-reply@${new URL(publicUrl).hostname}>`,
    fixedNow: values.LMS_NOW,
    demoTrust: values.DEMO_TRUST !== "off",
    helpUrl: values.HELP_URL ?? "/help",
    branding: Object.freeze({
      trustName: values.TRUST_NAME ?? DEFAULT_TRUST_NAME,
      logo: values.TRUST_LOGO === undefined ? undefined : isAddress(values.TRUST_LOGO) ? { url: values.TRUST_LOGO } : { file: path.resolve(values.TRUST_LOGO) },
      logoAlt: values.TRUST_LOGO_ALT ?? `${values.TRUST_NAME ?? DEFAULT_TRUST_NAME} logo`,
      footer: values.FOOTER_TEXT ?? DEFAULT_FOOTER,
    }),
    needHelp: (values.NEED_HELP ?? DEFAULT_NEED_HELP).split("|").map((line) => line.trim()).filter(Boolean),
    timeZone: values.TIME_ZONE ?? DEFAULT_TIME_ZONE,
    logLevel: values.LOG_LEVEL ?? "info",
    packageLimits: Object.freeze({
      maxEntries: values.PACKAGE_MAX_ENTRIES ?? 10_000,
      maxTotalBytes: values.PACKAGE_MAX_BYTES ?? 1024 ** 3,
      maxRatio: values.PACKAGE_MAX_RATIO ?? 200,
      maxItems: values.PACKAGE_MAX_ITEMS ?? DEFAULT_MANIFEST_LIMITS.maxItems,
      maxResources: values.PACKAGE_MAX_RESOURCES ?? DEFAULT_MANIFEST_LIMITS.maxResources,
      maxFilesListed: values.PACKAGE_MAX_FILES_LISTED ?? DEFAULT_MANIFEST_LIMITS.maxFilesListed,
      maxDepth: values.PACKAGE_MAX_DEPTH ?? DEFAULT_MANIFEST_LIMITS.maxDepth,
      maxSequencingRules: values.PACKAGE_MAX_SEQUENCING_RULES ?? DEFAULT_MANIFEST_LIMITS.maxSequencingRules,
      maxAttributes: values.PACKAGE_MAX_ATTRIBUTES ?? DEFAULT_MANIFEST_LIMITS.maxAttributes,
      maxManifestBytes: values.PACKAGE_MAX_MANIFEST_BYTES ?? DEFAULT_MANIFEST_LIMITS.maxManifestBytes,
    }),
    quotas: Object.freeze({
      evidenceFiles: values.EVIDENCE_QUOTA_FILES ?? 25,
      evidenceBytes: (values.EVIDENCE_QUOTA_MB ?? 50) * 1024 * 1024,
      awaitingApproval: values.AWAITING_APPROVAL_MAX ?? 25,
      authorUploadsPerDay: values.AUTHOR_UPLOADS_PER_DAY ?? 50,
      uploadsPerQuarterHour: values.UPLOADS_PER_QUARTER_HOUR ?? 30,
    }),
    diskFreeFloorBytes: (values.DISK_FREE_FLOOR_MB ?? 512) * 1024 * 1024,
    reminderGraceDays: values.REMINDER_GRACE_DAYS ?? 7,
  });
}

const isAddress = (value: string) => /^https?:\/\//i.test(value);

/**
 * TRUST_LOGO: an http(s) address, or an image file that exists now, so that a mistyped path stops
 * the start rather than showing every page with a broken image.
 */
function checkLogo(value: string, context: z.RefinementCtx): void {
  const problem = (message: string) => context.addIssue({ code: "custom", message });
  if (isAddress(value)) {
    try {
      const address = new URL(value);
      if (address.username || address.password) problem("TRUST_LOGO's address must not carry a user name or password");
    } catch {
      problem(`TRUST_LOGO is not a valid address: ${value}`);
    }
    return;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return problem("TRUST_LOGO must be an image file on this server or an http(s) address");
  const extension = path.extname(value).toLowerCase();
  if (!LOGO_TYPES[extension]) return problem(`TRUST_LOGO must be an image file ending ${Object.keys(LOGO_TYPES).join(", ")} (or an http(s) address): ${value}`);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(value);
  } catch {
    return problem(`TRUST_LOGO must name an existing file; there is none at ${path.resolve(value)}`);
  }
  if (!stat.isFile()) return problem(`TRUST_LOGO must name a file; ${path.resolve(value)} is a folder`);
  if (stat.size > LOGO_MAX_BYTES) problem(`TRUST_LOGO must be at most 1 MB; ${path.resolve(value)} is ${(stat.size / LOGO_MAX_BYTES).toFixed(1)} MB`);
}

function stripSlash(value: string): string {
  return value.replace(/\/+$/, "");
}
