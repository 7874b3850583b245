import type { FastifyReply, FastifyRequest } from 'fastify';
import { pino, stdSerializers, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/**
 * What the server writes to its log. A log line must never carry an identity: no query strings
 * (a search for a victim's name is a query string), no bodies, no client addresses, no
 * credentials. Requests are logged by method and path, responses by status.
 */
const API_LOG_SERIALIZERS = {
  req: (req: FastifyRequest) => ({ method: req.method, url: req.url.split('?')[0] }),
  res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }),
  err: (err: Error) => {
    const e = stdSerializers.err(err);
    // Keep what explains the failure; drop attached data (a driver error's `detail`, `parameters`…).
    return { type: e.type, message: e.message, stack: e.stack, code: (err as { code?: unknown }).code };
  },
};

/** Belt and braces for anything logged by hand: these keys are censored wherever they sit one or two levels down. */
const API_LOG_REDACT = {
  paths: [
    'req.headers.authorization',
    'req.headers.cookie',
    'req.query',
    'req.body',
    'res.headers["set-cookie"]',
    ...['identity', 'sealedIdentity', 'password', 'body', 'query', 'q', 'name', 'contacts', 'birthDate'].flatMap(
      (k) => [k, `*.${k}`],
    ),
  ],
  censor: '[redacted]',
};

/** The server's pino logger: JSON lines at `level` (LOG_LEVEL, default info), with the serializers and redaction above. */
export function createApiLogger(opts: { level?: string; destination?: DestinationStream } = {}): Logger {
  const options: LoggerOptions = {
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    serializers: API_LOG_SERIALIZERS,
    redact: API_LOG_REDACT,
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

/** Any logger handed in gets the same serializers and redaction, so a caller cannot switch them off by accident. */
export function withApiLogging(logger: Logger): Logger {
  return logger.child({}, { serializers: API_LOG_SERIALIZERS, redact: API_LOG_REDACT });
}
