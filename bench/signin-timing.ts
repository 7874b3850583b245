/**
 * Sign-in timing benchmark: `npm run bench -- signin-timing [--rounds 15]`
 *
 * A wrong password for a known user and any password for an unknown user both answer 401
 * `auth.invalid_credentials`; the unknown user is checked against a dummy hash so that both pay for
 * one scrypt run and the answer time does not tell whether a username exists.
 *
 * - BASELINE: the median time of POST /api/v1/auth/login with a wrong password for a known user.
 * - MEASURED: the median time of the same request for a username nobody has.
 *
 * Prints the ratio unknown-user / wrong-password (expected ≈ 1; well below 1 means the unknown
 * user skips the hash). Requests alternate between the two, each from its own client address, with
 * limits high enough that none is refused. SQLite in memory, server in this process (inject).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { buildServer } from '../src/api/server.ts';
import { makeServices, SYSTEM } from '../src/services/context.ts';
import { DEFAULT_AUTH_POLICY } from '../src/services/auth-policy.ts';
import { addUser } from '../src/services/user.service.ts';
import { openStore } from '../src/store/database.ts';
import { Keyring } from '../src/store/keyring.ts';
import { intArg, parseArgs } from './lib/args.ts';

const args = parseArgs(process.argv.slice(2));
const rounds = Math.max(1, intArg(args, 'rounds', 15));

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

async function main(): Promise<void> {
  console.log(`Vigil sign-in timing benchmark — ${rounds} rounds, SQLite in memory, Node ${process.version}`);
  const store = await openStore({ dialect: 'sqlite', file: ':memory:' });
  const svc = makeServices(store, new Keyring(randomBytes(32)));
  const policy = { ...DEFAULT_AUTH_POLICY, maxFailuresPerAccount: 1_000_000, maxFailuresPerAddress: 1_000_000 };
  const app = buildServer({ svc, logger: pino({ level: 'silent' }), auth: { policy } });
  await app.ready();

  const usernames: string[] = [];
  for (let i = 0; i < rounds; i++) {
    const username = `bench-known-${i}`;
    await addUser(svc, SYSTEM, { username, role: 'viewer', password: 'steppe kettle violet harbour' });
    usernames.push(username);
  }

  let address = 0;
  const timed = async (username: string): Promise<number> => {
    const start = performance.now();
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password: 'not the password at all' },
      remoteAddress: `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address++ & 255}`,
    });
    const ms = performance.now() - start;
    if (res.statusCode !== 401) throw new Error(`expected 401 for ${username}, got ${res.statusCode}: ${res.body}`);
    return ms;
  };

  // Warm-up: one of each, not counted.
  await timed(usernames[0] ?? 'bench-known-0');
  await timed('bench-nobody-warmup');

  const wrongPassword: number[] = [];
  const unknownUser: number[] = [];
  for (const [i, username] of usernames.entries()) {
    wrongPassword.push(await timed(username));
    unknownUser.push(await timed(`bench-nobody-${i}`));
  }

  const base = median(wrongPassword);
  const measured = median(unknownUser);
  console.log(`BASELINE  wrong password, known user: median ${base.toFixed(1)} ms`);
  console.log(`MEASURED  unknown user:               median ${measured.toFixed(1)} ms`);
  console.log(`RATIO     unknown user / wrong password = ${(measured / base).toFixed(2)} (expected ≈ 1)`);

  await app.close();
  await store.close();
}

await main();
