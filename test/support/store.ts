import { openStore, type Store } from '../../src/store/database.ts';
import { freshDatabaseConfig, type TestDialect } from './databases.ts';

/** A migrated, empty store on a fresh database of the given dialect. */
export async function openTestStore(dialect: TestDialect): Promise<{ store: Store; dispose(): Promise<void> }> {
  const fresh = await freshDatabaseConfig(dialect);
  const store = await openStore(fresh.config);
  return {
    store,
    async dispose() {
      await store.close();
      await fresh.drop();
    },
  };
}

/** A clock that starts at a fixed instant and moves one second per reading. */
export function fakeClock(start = '2022-02-01T09:00:00.000Z'): () => Date {
  let t = Date.parse(start);
  return () => {
    const d = new Date(t);
    t += 1000;
    return d;
  };
}
