import { loadDemo } from './demo.ts';
import { openInstanceStore, servicesWithKey } from '../runtime.ts';
import { databaseConfigFromEnv, describeDatabase } from '../../store/config.ts';
import { startServer } from '../../api/server.ts';

/** `vigil serve`: opens the database (creating and migrating it on first start), optionally loads the demo, listens. */
export async function serveCommand(opts: { port: number; host: string; demo?: boolean }): Promise<void> {
  const config = databaseConfigFromEnv();
  const store = await openInstanceStore(config);
  let svc;
  try {
    svc = await servicesWithKey(store);
  } catch (err) {
    await store.close();
    throw err;
  }
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
