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
      req: (req) => ({ id: req.id, method: req.method, url: loggableUrl(req.url) }),
      res: (res) => ({ statusCode: res.statusCode }),
    },
  });
}

/**
 * A request's URL as a log may show it. Query strings may carry reset and unlock tokens, and the
 * content origin's paths carry a signed content token as their first segment (/c/<token>/...,
 * /launch/<token>/...): a bearer credential for hours, so it is replaced, whatever it looks like.
 */
export function loggableUrl(url: string): string {
  const index = url.indexOf("?");
  const path = index === -1 ? url : url.slice(0, index);
  return path.replace(/^\/(c|launch)\/[^/]*/, "/$1/<token>");
}
