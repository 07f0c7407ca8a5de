import { pinoHttp } from "pino-http";
import pino, { type Logger } from "pino";

/**
 * Structured JSON logs, to standard output (or a file: bench:content writes there what a deployed
 * LMS would print). Cookies, authorisation headers and form bodies never reach a log line.
 */
export function createLogger(level: string, file?: string): Logger {
  const options = {
    level,
    redact: { paths: ["req.headers.cookie", "req.headers.authorization", 'res.headers["set-cookie"]'], remove: true },
  };
  return file === undefined ? pino(options) : pino(options, pino.destination({ dest: file, sync: true }));
}

export interface RequestLogOptions {
  /**
   * The level of a request answered (below 400). Unset, every request is logged at info. A refusal
   * (4xx) is logged at info and a failure (5xx) at error whatever this says.
   */
  answeredLevel?: "info" | "debug";
}

export function requestLogger(logger: Logger, { answeredLevel }: RequestLogOptions = {}) {
  return pinoHttp({
    logger,
    ...(answeredLevel && {
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "info" : answeredLevel),
    }),
    // Health checks every few seconds would drown the log.
    autoLogging: { ignore: (req) => req.url === "/healthz" },
    serializers: {
      req: (req) => ({ id: req.id, method: req.method, url: loggableUrl(req.url) }),
      res: (res) => ({ statusCode: res.statusCode }),
    },
  });
}

/**
 * A request's URL as a log may show it. Query strings may carry reset and unlock tokens, and the
 * content origin's paths carry a signed content token (/c/<token>/..., /launch/<token>/...): a
 * bearer credential for hours. The path is shown decoded (an encoded token is a token), its first
 * segment after /c/ or /launch/ replaced whatever it looks like, and anything shaped like a token's
 * signature replaced wherever it stands: //c/<token>, /C/<token> or /c;<token> serve nothing, but
 * their requests are logged all the same.
 */
export function loggableUrl(url: string): string {
  const index = url.indexOf("?");
  const path = decodedAsFarAsItGoes(index === -1 ? url : url.slice(0, index));
  return path.replace(/^\/(c|launch)\/[^/]*/, "/$1/<token>").replace(SIGNATURE_SHAPED, "<redacted>");
}

// A content token's signature is 43 base64url characters (content-token.ts); a run that long is
// redacted in any path, as is any longer one (a name that long is rarely worth a log's reading).
const SIGNATURE_SHAPED = /[A-Za-z0-9_-]{43,}/g;

/** Percent-decoded, twice at most (a double-encoded path), stopping where it no longer decodes. */
function decodedAsFarAsItGoes(path: string): string {
  let decoded = path;
  for (let round = 0; round < 2 && decoded.includes("%"); round++) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      break;
    }
  }
  return decoded;
}
