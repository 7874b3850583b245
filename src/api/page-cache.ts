/**
 * Serialized answers of a hot read route, each valid while the audit chain's head has not moved.
 * Every change to a record, and every change of who may see what (assignments), appends to the
 * chain in the same transaction, so an answer cached at head `seq` is exactly what the route
 * would compute again while the head is still at `seq`. Keys must include whoever the answer
 * depends on (the signed-in user, for need-to-know). Bounded: the least recently used go first.
 *
 * @example
 *   const cache = new PageCache(500);
 *   const body = cache.get(key, seq) ?? cache.set(key, seq, reply.serialize(await compute()));
 */
export class PageCache {
  private readonly entries = new Map<string, { seq: number; body: string }>();

  constructor(private readonly max = 500) {}

  /** The answer cached for `key` at head `seq`, if any. */
  get(key: string, seq: number): string | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.seq !== seq) {
      this.entries.delete(key);
      return undefined;
    }
    // Map order is insertion order: re-inserting marks the entry as the most recently used.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.body;
  }

  /** Caches an answer computed after reading head `seq`; returns it. */
  set(key: string, seq: number, body: string): string {
    this.entries.delete(key);
    this.entries.set(key, { seq, body });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
    return body;
  }
}
