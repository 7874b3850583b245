import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { VigilError } from '../domain/errors.ts';
import type { Store } from './database.ts';

/**
 * The head of the audit chain as it stood at a moment, kept outside the database (domain.md IN4).
 * Someone who can write the database can cut entries off the end and move the head row back;
 * the chain then still verifies on its own. A checkpoint copied elsewhere (a file on another
 * disk, a printout, a message to a partner) says how far the chain reached and what its hash
 * was there: a later chain that is shorter, or has another hash at that entry, was cut or rewritten.
 */
export interface AuditCheckpoint {
  /** Sequence number of the last entry when the checkpoint was taken. */
  readonly seq: number;
  /** That entry's hash. */
  readonly hash: string;
  /** When the checkpoint was taken (ISO-8601). */
  readonly at: string;
}

/** What comparing the chain with a checkpoint found. */
export type CheckpointCheck =
  | { ok: true }
  | { ok: false; kind: 'chain_truncated' | 'chain_rewritten'; message: string };

/** The current head of the chain. */
export async function currentCheckpoint(store: Store, at: Date): Promise<AuditCheckpoint> {
  const head = await store.db
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return { seq: Number(head.seq), hash: head.hash, at: at.toISOString() };
}

/** Compares the chain in `store` with a checkpoint taken earlier. Run it after `verifyStore` passed. */
export async function checkCheckpoint(store: Store, cp: AuditCheckpoint): Promise<CheckpointCheck> {
  if (cp.seq === 0) return { ok: true };
  const entry = await store.db
    .selectFrom('audit_entry')
    .select(['seq', 'hash'])
    .where('seq', '=', cp.seq)
    .executeTakeFirst();
  if (!entry) {
    const last = await store.db.selectFrom('audit_head').select('seq').where('id', '=', 1).executeTakeFirst();
    return {
      ok: false,
      kind: 'chain_truncated',
      message: `the checkpoint of ${cp.at} saw ${cp.seq} entries, the chain now has ${last ? Number(last.seq) : 0}: entries were cut from its end`,
    };
  }
  if (entry.hash !== cp.hash) {
    return {
      ok: false,
      kind: 'chain_rewritten',
      message: `entry ${cp.seq} has hash ${entry.hash.slice(0, 16)}…, the checkpoint of ${cp.at} says ${cp.hash.slice(0, 16)}…: the chain was rewritten`,
    };
  }
  return { ok: true };
}

/** Reads a checkpoint file; null when there is none yet. */
export async function readCheckpoint(file: string): Promise<AuditCheckpoint | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return null;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new VigilError('config.invalid', `${file} is not a checkpoint (not JSON)`, { path: 'checkpoint' });
  }
  const cp = parsed as Partial<AuditCheckpoint>;
  if (
    !Number.isInteger(cp.seq) ||
    (cp.seq as number) < 0 ||
    typeof cp.hash !== 'string' ||
    !/^[0-9a-f]{64}$/.test(cp.hash) ||
    typeof cp.at !== 'string'
  ) {
    throw new VigilError('config.invalid', `${file} is not a checkpoint (needs seq, hash and at)`, {
      path: 'checkpoint',
    });
  }
  return { seq: cp.seq as number, hash: cp.hash, at: cp.at };
}

/** Writes a checkpoint file (whole or not at all). */
export async function writeCheckpoint(file: string, cp: AuditCheckpoint): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(cp, null, 2)}\n`, { mode: 0o600 });
  // A left-over temporary file keeps its old mode when written again.
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}
