import {
  sql,
  type CompiledQuery,
  type Insertable,
  type Kysely,
  type Selectable,
  type Transaction,
  type Updateable,
} from 'kysely';
import { VigilError } from '../domain/errors.ts';
import { entryHash } from '../domain/audit-format.ts';
import { encodeChanges, partChanges, updateChanges } from './audit-changes.ts';
import { signHead } from './audit-signature.ts';
import { executeCompiled } from './compiled-query.ts';
import { stateHash } from '../domain/canonical-json.ts';
import type { Store } from './store.ts';
import type { AuditEntryTable, AuditedTable, Database } from './schema.ts';
import type { HeadSigner, SignedHead } from './audit-signature.ts';
import type { UntypedTransaction } from './untyped-db.ts';

/** Stores a signed head (one row per write transaction). */
export async function insertSignature(db: Kysely<Database> | Transaction<Database>, h: SignedHead): Promise<void> {
  await db
    .insertInto('audit_signature')
    .values({
      seq: h.seq,
      hash: h.hash,
      at: h.at,
      key_fingerprint: h.instance,
      public_key: h.key,
      signature: h.signature,
    })
    .execute();
}

/** Who does a change, when, and why. `at` comes from the caller's clock so tests can fix it. */
export interface WriteContext {
  readonly actor: string;
  readonly at: string;
  readonly reason?: string | null;
}

/** The action of an entry that removes a record; every other entry without a state hash is a note. */
export const DELETE_ACTION = 'delete';

const VERSIONED = new Set<AuditedTable>([
  'app_user',
  'organization',
  'facility',
  'area',
  'person',
  'source',
  'statement',
  'reported_figure',
  'allegation',
  'allegation_proposal',
  'evidence_item',
  'proceeding',
  'visit',
  'recommendation',
  'extraction',
  'proposed_fact',
]);

type Row<T extends AuditedTable> = Selectable<Database[T]>;

/** Columns the writer sets itself on a versioned table. */
type WriterColumns = 'created_at' | 'updated_at' | 'version';

/** The columns of a new row of `T`, typed from the schema; the writer adds the version columns of a versioned table. */
export type InsertValues<T extends AuditedTable> = Omit<Insertable<Database[T]>, WriterColumns> & {
  [K in WriterColumns & keyof Insertable<Database[T]>]?: Insertable<Database[T]>[K];
};

/** The columns an update of `T` may set, typed from the schema; the writer bumps the version columns. */
export type UpdateValues<T extends AuditedTable> = Omit<Updateable<Database[T]>, WriterColumns | 'id'>;

const BASE_AUDIT_COLUMNS = [
  'seq',
  'at',
  'actor',
  'action',
  'entity_type',
  'entity_id',
  'state_hash',
  'reason',
  'prev_hash',
  'hash',
] as const;
const AUDIT_COLUMNS = [...BASE_AUDIT_COLUMNS, 'changes'] as const;

/**
 * Writes records inside one transaction and appends an audit entry for each change.
 * The entries are chained from the head locked at the start of the transaction and
 * committed with the changes, so either both exist or neither does.
 */
export class AuditedWriter {
  readonly trx: Transaction<Database>;
  readonly ctx: WriteContext;
  private seq: number;
  private prevHash: string;
  private pending: AuditEntryTable[] = [];

  /** The time entries carry: the caller's, or the previous entry's if the caller's clock is behind (time never goes backwards in the chain). */
  private readonly entryAt: string;

  constructor(trx: Transaction<Database>, head: { seq: number; hash: string; at?: string }, ctx: WriteContext) {
    this.trx = trx;
    this.ctx = ctx;
    this.seq = head.seq;
    this.prevHash = head.hash;
    this.entryAt = head.at !== undefined && Date.parse(head.at) > Date.parse(ctx.at) ? head.at : ctx.at;
  }

  /**
   * Inserts a record (all columns given; versioned tables get version 1 and timestamps). A part
   * (an act, a link, a stage: see audit-changes.ts) records its fields in the entry's changes.
   */
  async insert<T extends AuditedTable>(table: T, values: InsertValues<T>, action = 'create'): Promise<Row<T>> {
    const full = VERSIONED.has(table)
      ? { ...values, created_at: this.ctx.at, updated_at: this.ctx.at, version: 1 }
      : values;
    const columns = Object.keys(full);
    const params = columns.map((c) => (full as Record<string, unknown>)[c]);
    const rows = await executeCompiled(this.trx, `insert\u0000${table}\u0000${columns.join(',')}`, params, (v) => {
      const record = Object.fromEntries(columns.map((c, i) => [c, v[i]]));
      return this.trx
        .insertInto(table)
        .values(record as Insertable<Database[T]>)
        .returningAll()
        .compile() as CompiledQuery<Row<T>>;
    });
    const row = rows[0];
    if (!row) throw new Error(`insert into ${table} returned no row`);
    this.record(
      action,
      table,
      (row as { id: string }).id,
      stateHash(table, row),
      encodeChanges(partChanges(table, row, 'added')),
    );
    return row;
  }

  /**
   * Updates a record. With `expectedVersion`, a record changed since it was read is refused
   * with `record.conflict` instead of silently overwriting the other change. The row is read
   * first, in this transaction (writers are serialised by the head lock, so nothing changes it in
   * between), and the entry records which fields changed from what to what (audit-changes.ts).
   */
  async update<T extends AuditedTable>(
    table: T,
    id: string,
    patch: UpdateValues<T>,
    opts: { expectedVersion?: number; action?: string } = {},
  ): Promise<Row<T>> {
    const versioned = VERSIONED.has(table);
    const set = versioned ? { ...patch, updated_at: this.ctx.at, version: sql`version + 1` } : patch;
    // Generic over every audited table: Kysely cannot type a union of tables, so this one query is untyped.
    const trx = this.trx as unknown as UntypedTransaction;
    const name: string = table;
    const before = (await trx.selectFrom(name).selectAll().where('id', '=', id).executeTakeFirst()) as
      | Record<string, unknown>
      | undefined;
    if (!before) throw new VigilError('record.not_found', `${table} ${id} does not exist`, { path: 'id' });
    let q = trx
      .updateTable(name)
      .set(set as Record<string, never>)
      .where('id', '=', id);
    if (versioned && opts.expectedVersion !== undefined) q = q.where('version', '=', opts.expectedVersion);
    const row = (await q.returningAll().executeTakeFirst()) as Row<T> | undefined;
    if (!row) {
      throw new VigilError('record.conflict', `${table} ${id} was changed by someone else; reload and try again`, {
        path: 'version',
      });
    }
    const changes = updateChanges(table, before, row as Record<string, unknown>);
    this.record(opts.action ?? 'update', table, id, stateHash(table, row), encodeChanges(changes));
    return row;
  }

  /** Deletes a record; its audit entry has action `delete` and no state hash (a part's, the fields it had). */
  async remove(table: AuditedTable, id: string): Promise<void> {
    const gone = (await this.trx.deleteFrom(table).where(sql.ref('id'), '=', id).returningAll().executeTakeFirst()) as
      | Record<string, unknown>
      | undefined;
    if (!gone) throw new VigilError('record.not_found', `${table} ${id} does not exist`, { path: 'id' });
    this.record(DELETE_ACTION, table, id, null, encodeChanges(partChanges(table, gone, 'removed')));
  }

  /** Appends an entry for an action that changes no record (e.g. reading an identity). */
  note(action: string, entityType: string, entityId: string): void {
    if (action === DELETE_ACTION) throw new Error('a note cannot be a deletion');
    this.record(action, entityType, entityId, null);
  }

  private record(
    action: string,
    entityType: string,
    entityId: string,
    state: string | null,
    changes: string | null = null,
  ): void {
    this.seq += 1;
    const base = {
      seq: this.seq,
      at: this.entryAt,
      actor: this.ctx.actor,
      action,
      entity_type: entityType,
      entity_id: entityId,
      state_hash: state,
      reason: this.ctx.reason ?? null,
      prev_hash: this.prevHash,
      changes,
    };
    const hash = entryHash(base);
    this.pending.push({ ...base, hash });
    this.prevHash = hash;
  }

  /**
   * Runs `fn` under a savepoint: if it throws, its rows and its audit entries are undone and the
   * rest of the transaction goes on. Lets a batch import reject one line without losing the others.
   */
  async attempt<T>(fn: () => Promise<T>): Promise<T> {
    const mark = { seq: this.seq, prevHash: this.prevHash, pending: this.pending.length };
    await sql`SAVEPOINT vigil_attempt`.execute(this.trx);
    try {
      const result = await fn();
      await sql`RELEASE SAVEPOINT vigil_attempt`.execute(this.trx);
      return result;
    } catch (err) {
      await sql`ROLLBACK TO SAVEPOINT vigil_attempt`.execute(this.trx);
      await sql`RELEASE SAVEPOINT vigil_attempt`.execute(this.trx);
      this.seq = mark.seq;
      this.prevHash = mark.prevHash;
      this.pending.length = mark.pending;
      throw err;
    }
  }

  /**
   * Writes the buffered entries and moves the head; called once, just before commit. With a
   * signer, the new head is signed in the same transaction (audit-signature.ts).
   */
  async flush(signer?: HeadSigner): Promise<void> {
    const CHUNK = 500;
    for (let i = 0; i < this.pending.length; i += CHUNK) {
      const chunk = this.pending.slice(i, i + CHUNK);
      // `changes` is named only when an entry has some: a chunk of notes and creates inserts what it
      // did before 0012 (and still can on a schema from before it, as migration tests run).
      const columns = chunk.some((e) => e.changes !== null) ? AUDIT_COLUMNS : BASE_AUDIT_COLUMNS;
      const params: unknown[] = [];
      for (const e of chunk) for (const c of columns) params.push(e[c]);
      await executeCompiled(this.trx, `audit_entry\u0000${chunk.length}\u0000${columns.length}`, params, (v) => {
        const rows = chunk.map((_, r) => Object.fromEntries(columns.map((c, j) => [c, v[r * columns.length + j]])));
        return this.trx
          .insertInto('audit_entry')
          .values(rows as unknown as AuditEntryTable[])
          .compile();
      });
    }
    if (this.pending.length > 0) {
      await this.trx
        .updateTable('audit_head')
        .set({ seq: this.seq, hash: this.prevHash, updated_at: this.entryAt })
        .where('id', '=', 1)
        .execute();
      if (signer)
        await insertSignature(this.trx, signHead(signer, { seq: this.seq, hash: this.prevHash, at: this.entryAt }));
    }
    this.pending = [];
  }

  /** How many entries this transaction has appended so far. */
  get pendingCount(): number {
    return this.pending.length;
  }
}

/**
 * Runs `fn` in one write transaction. The transaction starts by locking the audit head row,
 * which serialises writers on both engines (SQLite takes its write lock at once, so the busy
 * timeout applies; PostgreSQL holds a row lock) and gives the chain's current end.
 */
export async function runWrite<R>(store: Store, ctx: WriteContext, fn: (w: AuditedWriter) => Promise<R>): Promise<R> {
  return store.db.transaction().execute(async (trx) => {
    const head = await trx
      .updateTable('audit_head')
      .set({ id: 1 })
      .where('id', '=', 1)
      .returning(['seq', 'hash', 'updated_at'])
      .executeTakeFirstOrThrow();
    const writer = new AuditedWriter(trx, { seq: Number(head.seq), hash: head.hash, at: head.updated_at }, ctx);
    const result = await fn(writer);
    await writer.flush(store.signer);
    return result;
  });
}
