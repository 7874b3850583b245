import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FsBlobStore } from '../../src/evidence/fs-blob-store.ts';
import { ephemeralSigningKey, headSignerOf } from '../../src/evidence/signing-key.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { freshDatabaseConfig, type TestDialect } from './databases.ts';

/**
 * A migrated, empty store on a fresh database of the given dialect, whose heads are signed by a
 * key made for the test, and an empty blob store in a temp dir.
 */
export async function openTestStore(
  dialect: TestDialect,
): Promise<{ store: Store; blobs: FsBlobStore; dispose(): Promise<void> }> {
  const fresh = await freshDatabaseConfig(dialect);
  const store = await openStore(fresh.config, { signer: headSignerOf(ephemeralSigningKey()) });
  const blobDir = await mkdtemp(path.join(tmpdir(), 'vigil-blobs-'));
  return {
    store,
    blobs: new FsBlobStore(blobDir),
    async dispose() {
      await store.close();
      await fresh.drop();
      // Stored blobs are read-only files; rm with force removes them as their directory's owner.
      await rm(blobDir, { recursive: true, force: true });
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
