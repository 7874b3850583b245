import type { Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** Takes the next value of a named counter inside the caller's (write-locked) transaction. */
export async function nextCounter(trx: Transaction<Database>, name: string): Promise<number> {
  const row = await trx
    .updateTable('counter')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', name)
    .returning('value')
    .executeTakeFirst();
  if (row) return Number(row.value);
  await trx.insertInto('counter').values({ name, value: 1 }).execute();
  return 1;
}
