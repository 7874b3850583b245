import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyTypeProvider,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';

/** What the server tells after a write: the witness scheduler (src/services/witness/witness-scheduler.service.ts). */
export interface WriteListener {
  nudge(): void;
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * After every successful write request (the response is already sent), nudges the witness
 * scheduler, which pushes the new signed head in the background: a request never waits for a witness.
 */
export function nudgeAfterWrites<Logger extends FastifyBaseLogger, Provider extends FastifyTypeProvider>(
  app: FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Logger, Provider>,
  listener: WriteListener,
): void {
  app.addHook('onResponse', async (req, reply) => {
    if (!READS.has(req.method) && reply.statusCode < 400) listener.nudge();
  });
}
