import type { z } from 'zod';
import { runWrite, type AuditedWriter } from '../store/audited-writer.ts';
import type { AuditedTable } from '../store/schema.ts';
import type { Actor, Services } from './context.ts';
import { findByExternalId } from './references.ts';
import { parseInput } from './validate.ts';

export { updateSchema } from '../domain/update-schema.ts';

/** The outcome of a create: the record's id and whether it was new (false: the external id existed). */
export interface Created {
  id: string;
  created: boolean;
}

type Keyed = Parameters<typeof findByExternalId>[1];

/**
 * The shape shared by every "create a record" use case: validate, open one audited transaction,
 * return the existing record when the external id is already known (imports are idempotent),
 * otherwise let `write` insert the record and its parts.
 */
export async function createRecord<S extends z.ZodType<{ id?: string | undefined; externalId?: string | undefined }>>(
  svc: Services,
  actor: Actor,
  table: Keyed & AuditedTable,
  schema: S,
  input: unknown,
  write: (w: AuditedWriter, data: z.output<S>, id: string) => Promise<void>,
  opts: { writer?: AuditedWriter; reason?: string } = {},
): Promise<Created> {
  const data = parseInput(schema, input);
  const body = async (w: AuditedWriter): Promise<Created> => {
    const existing = await findByExternalId(w.trx, table, data.externalId);
    if (existing) return { id: existing, created: false };
    const id = data.id ?? svc.newId();
    await write(w, data, id);
    return { id, created: true };
  };
  if (opts.writer) return body(opts.writer);
  return runWrite(svc.store, writeContext(svc, actor, opts.reason), body);
}

/** The audit context of a change made now by `actor`. */
export function writeContext(svc: Services, actor: Actor, reason?: string | null) {
  return { actor: actor.id, at: svc.clock().toISOString(), reason: reason ?? null };
}
