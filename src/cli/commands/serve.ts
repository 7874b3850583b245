import { loadDemo } from './demo.ts';
import { headSignerFromEnv, servicesWithKey } from '../runtime.ts';
import { databaseConfigFromEnv, describeDatabase } from '../../store/config.ts';
import { openStore } from '../../store/database.ts';
import { startServer } from '../../api/server.ts';
import { WitnessScheduler } from '../../services/witness/witness-scheduler.ts';
import { configuredWitnesses } from '../../services/witness/witness.ts';
import { describeOutcome } from './witness.ts';

/**
 * `vigil serve`: opens the database (creating and migrating it on first start), optionally loads
 * the demo, listens, and pushes the signed head to the configured witnesses after writes.
 */
export async function serveCommand(opts: { port: number; host: string; demo?: boolean }): Promise<void> {
  const config = databaseConfigFromEnv();
  const store = await openStore(config, { signer: headSignerFromEnv() });
  let svc;
  let witnesses;
  try {
    svc = await servicesWithKey(store);
    witnesses = configuredWitnesses(process.env, { store });
  } catch (err) {
    await store.close();
    throw err;
  }
  if (opts.demo) {
    const s = await loadDemo(svc);
    process.stderr.write(`demo case LA-155/18: ${s.created} records added, ${s.existing} already present\n`);
  }
  const scheduler = new WitnessScheduler(store, witnesses, {
    // Failures only: a delivery after every write would drown the log.
    onOutcome: (o) => {
      if (o.result === 'failed' || o.result === 'refused') process.stderr.write(`witness push: ${describeOutcome(o)}\n`);
    },
    onError: (err) => process.stderr.write(`witness push: ${(err as Error).message}\n`),
  });
  const address = await startServer({ svc, port: opts.port, host: opts.host, afterWrite: scheduler });
  process.stderr.write(`Vigil on ${address} (database: ${describeDatabase(config)})\n`);
  if (witnesses.length > 0) process.stderr.write(`witnesses: ${witnesses.map((w) => w.id).join(', ')}\n`);
  scheduler.start();
  const stop = async () => {
    await scheduler.stop();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
