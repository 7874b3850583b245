/**
 * Evidence intake benchmark: `npm run bench -- hash [--mb 1024] [--keep] [--profile DIR]`
 *
 * Starts a real Vigil server (startServer on 127.0.0.1:0, SQLite and blob store in a temp dir) in
 * a CHILD PROCESS, so its memory can be read from /proc/<pid>/status while it works, then:
 *
 * - MEASURED: a file of --mb MiB (random bytes, default 1 GiB) uploaded to POST /api/v1/evidence
 *   as multipart/form-data, streamed from disk by http.request (fields first, then the file part);
 *   the server hashes it as it arrives and stores it write-once. Throughput = file bytes / wall
 *   time from the first byte sent to the answer received.
 * - BASELINE: the real `sha256sum` binary over the same file (best of 3, file in the page cache,
 *   as it is for the upload).
 *
 * Prints the ratio of the two throughputs (goal ≥ 0.7) and the server's peak RSS growth during
 * the upload (goal < 100 MB), sampled every 20 ms against its RSS just before the upload (after a
 * 1 MiB warm-up upload has loaded every code path). The answer's SHA-256 is checked against
 * sha256sum's.
 *
 * `--profile DIR` writes a V8 CPU profile of the server to DIR. Run with `--serve DIR` it is the server child itself.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { startServer } from '../src/api/server.ts';
import { FsBlobStore } from '../src/evidence/fs-blob-store.ts';
import { createAllegation } from '../src/services/allegation.service.ts';
import { createApiToken } from '../src/services/api-token.service.ts';
import { makeServices, SYSTEM } from '../src/services/context.ts';
import { createFacility } from '../src/services/facility.service.ts';
import { addUser } from '../src/services/user.service.ts';
import { openStore } from '../src/store/database.ts';
import { Keyring } from '../src/store/keyring.ts';
import { fmtInt, fmtSec, intArg, must, parseArgs } from './lib/args.ts';
import { progressBar } from './lib/progress.ts';
import { timeSha256sum } from './lib/sha256sum.ts';

const RATIO_GOAL = 0.7;
const RSS_GOAL_MB = 100;
const MB = 1e6;
const MiB = 1024 * 1024;

interface Ready {
  url: string;
  token: string;
  allegationId: string;
}

/** The server child: a fresh store in `dir`, a documenter with an API token, an allegation; prints where it listens. */
async function serve(dir: string): Promise<void> {
  const store = await openStore({ dialect: 'sqlite', file: path.join(dir, 'vigil.db') });
  const svc = makeServices(store, new Keyring(randomBytes(32)), { blobs: new FsBlobStore(path.join(dir, 'blobs')) });
  const user = await addUser(svc, SYSTEM, { username: 'bench-documenter', role: 'documenter' });
  const { token } = await createApiToken(svc, { id: user.id, role: 'documenter' }, { name: 'bench' });
  const facilityId = (await createFacility(svc, SYSTEM, { name: 'SYNTHETIC facility', kind: 'pretrial_detention' })).id;
  const allegationId = (
    await createAllegation(svc, SYSTEM, {
      title: 'SYNTHETIC allegation for the intake benchmark',
      facilityId,
      acts: [{ kind: 'beating' }],
    })
  ).id;
  const url = await startServer({ svc, port: 0, host: '127.0.0.1', logger: pino({ level: 'silent' }) });
  process.stdout.write(`${JSON.stringify({ url, token, allegationId } satisfies Ready)}\n`);
  // Runs until the parent stops it; a clean exit lets --cpu-prof write its profile.
  process.on('SIGTERM', () => process.exit(0));
}

/** Writes `bytes` of random data to `file`, 4 MiB at a time. */
async function writeRandomFile(file: string, bytes: number): Promise<void> {
  const bar = progressBar('generate file (MiB)', Math.ceil(bytes / MiB));
  const out = fs.createWriteStream(file);
  const chunk = Buffer.allocUnsafe(4 * MiB);
  let written = 0;
  while (written < bytes) {
    const n = Math.min(chunk.length, bytes - written);
    randomFillSync(chunk, 0, n);
    if (!out.write(Buffer.from(chunk.subarray(0, n)))) await new Promise<void>((r) => out.once('drain', () => r()));
    written += n;
    bar.update(Math.floor(written / MiB));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  bar.stop();
}

/** Uploads `file` as multipart (fields, then the file part streamed from disk); resolves to the answer and the wall time. */
function upload(
  ready: Ready,
  file: string,
  onBytes?: (n: number) => void,
): Promise<{ ms: number; status: number; body: { sha256?: string; size?: number } }> {
  const boundary = `----vigilbench${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="allegationId"\r\n\r\n${ready.allegationId}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nSYNTHETIC intake benchmark\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${path.basename(file)}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const size = fs.statSync(file).size;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(
      `${ready.url}/api/v1/evidence`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ready.token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(head.length + size + tail.length),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          const ms = performance.now() - t0;
          try {
            resolve({ ms, status: res.statusCode ?? 0, body: JSON.parse(text) as { sha256?: string; size?: number } });
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.on('error', reject);
    req.write(head);
    let sent = 0;
    const body = fs.createReadStream(file, { highWaterMark: MiB });
    body.on('data', (c) => {
      sent += c.length;
      onBytes?.(sent);
    });
    body.on('error', reject);
    body.on('end', () => req.end(tail));
    body.pipe(req, { end: false });
  });
}

/** Resident memory of a process in bytes, from /proc (Linux). */
function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) * 1024;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const serveDir = args.get('serve');
  if (serveDir !== undefined) return serve(serveDir);

  const mib = intArg(args, 'mb', 1024);
  const bytes = mib * MiB;
  const keep = args.has('keep');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-hash-'));
  const file = path.join(dir, 'SYNTHETIC-upload.bin');
  const warm = path.join(dir, 'SYNTHETIC-warmup.bin');
  console.log(
    `Vigil evidence intake benchmark — SYNTHETIC random file of ${fmtInt(mib)} MiB, SQLite, server in a child process, Node ${process.version}, ${os.availableParallelism()} CPUs`,
  );
  console.log(`work dir: ${dir}`);

  const profile = args.get('profile');
  const profiling = profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profile)}`] : [];
  const child = spawn(
    process.execPath,
    [
      ...profiling,
      '--import',
      import.meta.resolve('tsx'),
      fileURLToPath(import.meta.url),
      '--serve',
      path.join(dir, 'server'),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  fs.mkdirSync(path.join(dir, 'server'));
  try {
    const ready = await new Promise<Ready>((resolve, reject) => {
      let text = '';
      must(child.stdout, 'server stdout').on('data', (d: Buffer) => {
        text += d.toString();
        const nl = text.indexOf('\n');
        if (nl >= 0) resolve(JSON.parse(text.slice(0, nl)) as Ready);
      });
      child.on('exit', (code) => reject(new Error(`the server exited with ${code} before it was ready`)));
    });
    const pid = must(child.pid, 'server pid');

    await writeRandomFile(file, bytes);
    fs.writeFileSync(warm, randomBytes(MiB));
    const warmed = await upload(ready, warm);
    if (warmed.status !== 201)
      throw new Error(`warm-up upload answered ${warmed.status}: ${JSON.stringify(warmed.body)}`);
    // A first sha256sum also puts the file in the page cache, where the upload will read it from.
    const first = await timeSha256sum(file);

    await new Promise((r) => setTimeout(r, 500));
    const baseRss = rssOf(pid);
    let peakRss = baseRss;
    const sampler = setInterval(() => {
      try {
        peakRss = Math.max(peakRss, rssOf(pid));
      } catch {
        /* the process is gone: the upload will fail and say so */
      }
    }, 20);
    const bar = progressBar('upload (MiB)', mib);
    let up: Awaited<ReturnType<typeof upload>>;
    try {
      up = await upload(ready, file, (n) => bar.update(Math.floor(n / MiB)));
    } finally {
      clearInterval(sampler);
      bar.stop();
    }
    peakRss = Math.max(peakRss, rssOf(pid));
    if (up.status !== 201) throw new Error(`upload answered ${up.status}: ${JSON.stringify(up.body)}`);

    const runs = [first, await timeSha256sum(file), await timeSha256sum(file)];
    const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
    if (up.body.sha256 !== best.digest || up.body.size !== bytes) {
      throw new Error(
        `the server's hash ${up.body.sha256} (${up.body.size} bytes) differs from sha256sum's ${best.digest} (${bytes} bytes)`,
      );
    }
    const upRate = bytes / (up.ms / 1000);
    const baseRate = bytes / (best.ms / 1000);
    const ratio = upRate / baseRate;
    const growthMb = (peakRss - baseRss) / MB;
    console.log('');
    console.log(`file      ${fmtInt(bytes)} bytes, SHA-256 ${best.digest} (the server's answer matches)`);
    console.log(
      `BASELINE  sha256sum: ${fmtSec(best.ms)} (best of ${runs.length}: ${runs.map((r) => fmtSec(r.ms)).join(', ')}) = ${(baseRate / MB).toFixed(1)} MB/s`,
    );
    console.log(
      `MEASURED  POST /api/v1/evidence (multipart over loopback, hashed and stored write-once, fsynced): ${fmtSec(up.ms)} = ${(upRate / MB).toFixed(1)} MB/s`,
    );
    console.log(
      `RATIO     upload / sha256sum throughput = ${ratio.toFixed(3)}   goal ≥ ${RATIO_GOAL}   ${ratio >= RATIO_GOAL ? 'MET' : 'NOT MET'}`,
    );
    console.log(
      `MEMORY    server RSS ${(baseRss / MB).toFixed(1)} MB before, peak ${(peakRss / MB).toFixed(1)} MB during: growth ${growthMb.toFixed(1)} MB   goal < ${RSS_GOAL_MB} MB   ${growthMb < RSS_GOAL_MB ? 'MET' : 'NOT MET'}`,
    );
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    if (keep) console.log(`kept: ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
