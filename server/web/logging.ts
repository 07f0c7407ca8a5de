import { pinoHttp } from "pino-http";
import pino, { type Logger } from "pino";

/** Structured JSON logs. Cookies, authorisation headers and form bodies never reach a log line. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: ["req.headers.cookie", "req.headers.authorization", 'res.headers["set-cookie"]'], remove: true },
  });
}

export function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    // Health checks every few seconds would drown the log.
    autoLogging: { ignore: (req) => req.url === "/healthz" },
    serializers: {
      req: (req) => ({ id: req.id, method: req.method, url: stripQuery(req.url) }),
      res: (res) => ({ statusCode: res.statusCode }),
    },
  });
}

// Query strings may carry reset tokens or signed content tokens: they are secrets.
function stripQuery(url: string): string {
  const index = url.indexOf("?");
  return index === -1 ? url : url.slice(0, index);
}
