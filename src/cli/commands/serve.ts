import { loadDemo } from './demo.ts';
import { keyFileFromEnv } from '../runtime.ts';
import { loadKeyring } from '../../store/keyring.ts';
import { databaseConfigFromEnv, describeDatabase } from '../../store/config.ts';
import { openStore } from '../../store/database.ts';
import { makeServices } from '../../services/context.ts';
import { startServer } from '../../api/server.ts';

/** `vigil serve`: opens the database (creating and migrating it on first start), optionally loads the demo, listens. */
export async function serveCommand(opts: { port: number; host: string; demo?: boolean }): Promise<void> {
  const keyring = loadKeyring({ keyFile: keyFileFromEnv() });
  const config = databaseConfigFromEnv();
  const store = await openStore(config);
  const svc = makeServices(store, keyring);
  if (opts.demo) {
    const s = await loadDemo(svc);
    process.stderr.write(`demo case LA-155/18: ${s.created} records added, ${s.existing} already present\n`);
  }
  const address = await startServer({ svc, port: opts.port, host: opts.host });
  process.stderr.write(`Vigil on ${address} (database: ${describeDatabase(config)})\n`);
  const stop = async () => {
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
