import { loadDemo } from './demo.ts';
import { openInstanceStore, servicesWithKey } from '../runtime.ts';
import { databaseConfigFromEnv, describeDatabase } from '../../services/instance.service.ts';
import { startServer } from '../../api/server.ts';
import { sweepPartialUploads } from '../../services/blob-sweep.service.ts';
import { stampMissingEvery } from '../../services/timestamp-retry.service.ts';
import { WitnessScheduler } from '../../services/witness/witness-scheduler.service.ts';
import { configuredWitnesses } from '../../services/witness/witness.service.ts';
import { describeOutcome } from './witness.ts';

/**
 * `vigil serve`: opens the database (creating and migrating it on first start), optionally loads
 * the demo, listens, and pushes the signed head to the configured witnesses after writes.
 */
export async function serveCommand(opts: { port: number; host: string; demo?: boolean }): Promise<void> {
  const config = databaseConfigFromEnv();
  const store = await openInstanceStore(config, { create: true });
  let svc;
  let witnesses;
  try {
    svc = await servicesWithKey(store);
    witnesses = configuredWitnesses(process.env, { store });
  } catch (err) {
    await store.close();
    throw err;
  }
  const swept = await sweepPartialUploads(svc);
  if (swept.removed > 0)
    process.stderr.write(
      `evidence: removed ${swept.removed} partial upload(s) older than a day (${swept.bytes} bytes), left by an upload that was cut off\n`,
    );
  if (opts.demo) {
    const s = await loadDemo(svc);
    process.stderr.write(`demo case LA-155/18: ${s.created} records added, ${s.existing} already present\n`);
  }
  const scheduler = new WitnessScheduler(store, witnesses, {
    // Failures only: a delivery after every write would drown the log.
    onOutcome: (o) => {
      if (o.result === 'failed' || o.result === 'refused')
        process.stderr.write(`witness push: ${describeOutcome(o)}\n`);
    },
    onError: (err) => process.stderr.write(`witness push: ${(err as Error).message}\n`),
  });
  const address = await startServer({ svc, port: opts.port, host: opts.host, afterWrite: scheduler });
  process.stderr.write(`Vigil on ${address} (database: ${describeDatabase(config)})\n`);
  if (witnesses.length > 0) process.stderr.write(`witnesses: ${witnesses.map((w) => w.id).join(', ')}\n`);
  scheduler.start();
  // Evidence filed while the TSA was unreachable gets its token now, and every 15 minutes after; so does the chain's head.
  const stopRetries =
    svc.timestamps &&
    stampMissingEvery(svc, 15 * 60_000, (r) => {
      const e = r.evidence;
      if (e.stamped > 0 || e.failure)
        process.stderr.write(
          `timestamps: ${e.stamped} evidence hash(es) stamped${e.failure ? `, ${e.pending} still without a token: ${e.failure}` : ''}\n`,
        );
      if (r.head?.failure) process.stderr.write(`timestamps: the chain's head has no token: ${r.head.failure}\n`);
    });
  const stop = async () => {
    stopRetries?.();
    await scheduler.stop();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
