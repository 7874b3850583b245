import { CompiledQuery, type DialectAdapter, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * SQL text of hot queries, compiled by Kysely once per dialect and shape and then reused with new
 * parameters: a bulk import runs the same few inserts hundreds of thousands of times, and the
 * allegation list the same few selects on every request; building and compiling each again cost
 * more than running it.
 * `null` marks a shape that cannot be reused (Kysely did not bind the values one for one).
 */
const compiledSql = new WeakMap<DialectAdapter, Map<string, string | null>>();

/** Strings, numbers and nulls are bound as they are; anything else (undefined, objects, SQL expressions) takes Kysely's full path. */
function isPlain(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'number';
}

/**
 * Runs `build(params)`, compiled by Kysely, or the SQL compiled earlier for the same `shape`.
 * The SQL of a shape is compiled once from distinct placeholder values and reused only if
 * Kysely bound exactly those values, in order, as its parameters; values that are not plain,
 * and executors with plugins (which may rewrite queries), always take Kysely's full path.
 */
export async function executeCompiled<R>(
  trx: Kysely<Database>,
  shape: string,
  params: unknown[],
  build: (values: unknown[]) => CompiledQuery<R>,
): Promise<R[]> {
  const executor = trx.getExecutor();
  if (executor.plugins.length > 0 || !params.every(isPlain)) return (await trx.executeQuery(build(params))).rows;
  let byShape = compiledSql.get(executor.adapter);
  if (!byShape) {
    byShape = new Map();
    compiledSql.set(executor.adapter, byShape);
  }
  let text = byShape.get(shape);
  if (text === undefined) {
    const probe = params.map((_, i) => `\u0000vigil-param-${i}`);
    const compiled = build(probe);
    const oneForOne =
      compiled.parameters.length === probe.length && compiled.parameters.every((p, i) => p === probe[i]);
    text = oneForOne ? compiled.sql : null;
    byShape.set(shape, text);
  }
  if (text === null) return (await trx.executeQuery(build(params))).rows;
  return (await trx.executeQuery(CompiledQuery.raw(text, params) as CompiledQuery<R>)).rows;
}
