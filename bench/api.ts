/**
 * API benchmark: `npm run bench -- api [--allegations 200000] [--seconds 30] [--connections 50] [--keep]`
 *
 * Loads the SYNTHETIC dataset (bench/generate.ts) into a fresh SQLite store through the real
 * import, then, on loopback:
 * - BASELINE: a bare Fastify route returning a fixed 50-item JSON array (the first page of
 *   allegations, as Vigil serves it), loaded by autocannon;
 * - MEASURED: Vigil's `GET /api/v1/allegations?limit=50` with an API token, loaded the same way
 *   while a writer records sources and edits allegations through the API the whole time.
 * Prints requests per second, p99 latency and errors of both, and the ratio (goal ≥ 0.3, zero
 * errors, p99 under 10× the baseline's).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { pino } from 'pino';
import { buildServer } from '../src/api/server.ts';
import { createApiToken } from '../src/services/api-token.service.ts';
import { SYSTEM } from '../src/services/context.ts';
import { addUser } from '../src/services/user.service.ts';
import { fmtInt, intArg, must, parseArgs } from './lib/args.ts';
import { syntheticStore } from './lib/synthetic-store.ts';

const args = parseArgs(process.argv.slice(2));
const allegations = intArg(args, 'allegations', 200_000);
const seconds = intArg(args, 'seconds', 30);
const connections = intArg(args, 'connections', 50);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-api-'));

type Result = { rps: number; p99: number; errors: number; non2xx: number; total: number };

async function load(url: string, headers: Record<string, string>): Promise<Result> {
  const r = await autocannon({ url, connections, duration: seconds, headers });
  return {
    rps: r.requests.average,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    total: r.requests.total,
  };
}

async function main() {
  console.log(
    `Vigil API benchmark — SYNTHETIC data, ${fmtInt(allegations)} allegations, SQLite, ${connections} connections, ${seconds} s each, Node ${process.version}, ${os.availableParallelism()} CPUs`,
  );
  const svc = await syntheticStore(dir, allegations);
  const store = svc.store;

  const reader = await addUser(svc, SYSTEM, { username: 'bench-viewer', role: 'viewer' });
  const writer = await addUser(svc, SYSTEM, { username: 'bench-documenter', role: 'documenter' });
  const readToken = (await createApiToken(svc, { id: reader.id, role: 'viewer' }, { name: 'bench' })).token;
  const writeToken = (await createApiToken(svc, { id: writer.id, role: 'documenter' }, { name: 'bench' })).token;

  const app = buildServer({ svc, logger: pino({ level: 'silent' }) });
  const vigilUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const page = await (
    await fetch(`${vigilUrl}/api/v1/allegations?limit=50`, { headers: { authorization: `Bearer ${readToken}` } })
  ).json();

  const bare = Fastify({ logger: false });
  bare.get('/items', async () => page);
  const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });

  console.log('BASELINE  bare Fastify, fixed 50-item array …');
  const base = await load(`${bareUrl}/items`, {});
  console.log(`          ${fmtInt(base.rps)} req/s, p99 ${base.p99} ms, errors ${base.errors}, non-2xx ${base.non2xx}`);

  // Writes for the whole measured run: sources recorded and allegations edited, one at a time.
  let writing = true;
  let writes = 0;
  let writeErrors = 0;
  const ids = (page.items as Array<{ id: string; version: number }>).map((a) => ({ id: a.id, version: a.version }));
  const wHeaders = { authorization: `Bearer ${writeToken}`, 'content-type': 'application/json' };
  const writerLoop = (async () => {
    let i = 0;
    while (writing) {
      const a = must(ids[i % ids.length], 'allegation id');
      const res =
        i % 2
          ? await fetch(`${vigilUrl}/api/v1/sources`, {
              method: 'POST',
              headers: wHeaders,
              body: JSON.stringify({ kind: 'news_article', title: `SYNTHETIC bench source ${i}` }),
            })
          : await fetch(`${vigilUrl}/api/v1/allegations/${a.id}`, {
              method: 'PATCH',
              headers: wHeaders,
              body: JSON.stringify({ title: `SYNTHETIC edited ${i}`, version: a.version }),
            });
      if (res.ok) {
        writes += 1;
        if (!(i % 2)) a.version = ((await res.json()) as { version: number }).version;
        else await res.arrayBuffer();
      } else {
        writeErrors += 1;
        await res.arrayBuffer();
      }
      i += 1;
    }
  })();

  console.log('MEASURED  Vigil GET /api/v1/allegations?limit=50, with writes running …');
  const vigil = await load(`${vigilUrl}/api/v1/allegations?limit=50`, { authorization: `Bearer ${readToken}` });
  writing = false;
  await writerLoop;
  console.log(
    `          ${fmtInt(vigil.rps)} req/s, p99 ${vigil.p99} ms, errors ${vigil.errors}, non-2xx ${vigil.non2xx}; ${fmtInt(writes)} writes during the run (${writeErrors} failed)`,
  );
  const ratio = vigil.rps / base.rps;
  const p99x = vigil.p99 / Math.max(base.p99, 1);
  const ok = ratio >= 0.3 && vigil.errors === 0 && vigil.non2xx === 0 && p99x < 10;
  console.log(
    `RATIO     Vigil / baseline req/s = ${ratio.toFixed(3)} (goal ≥ 0.3); p99 ${p99x.toFixed(1)}× the baseline's (goal < 10×); errors ${vigil.errors + vigil.non2xx} (goal 0)   ${ok ? 'MET' : 'NOT MET'}`,
  );

  await app.close();
  await bare.close();
  await store.close();
  if (args.has('keep')) console.log(`kept: ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}

await main();
