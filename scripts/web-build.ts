/**
 * Builds the web app into dist/web when it is missing or older than its sources:
 * `node --import tsx scripts/web-build.ts [--force]` (run by `npm start` before the server).
 * Also used by the browser tests, several of which may start at once: a lock directory makes
 * the second wait for the first instead of building over it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where the built app goes. */
export const WEB_OUT = path.join(ROOT, 'dist', 'web');
const LOCK = path.join(ROOT, 'dist', '.web-build.lock');
// What the build reads besides web/: the vocabulary labels are compiled in from the domain.
const SOURCES = [path.join(ROOT, 'web'), path.join(ROOT, 'src', 'domain')];

function newest(p: string): number {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const e of fs.readdirSync(p)) {
    if (e === 'node_modules' || e.startsWith('.')) continue;
    max = Math.max(max, newest(path.join(p, e)));
  }
  return max;
}

/** True when dist/web/index.html exists and is newer than every source file. */
export function webBuildIsFresh(): boolean {
  const built = newest(path.join(WEB_OUT, 'index.html'));
  return built > 0 && SOURCES.every((s) => newest(s) < built);
}

function runVite(): Promise<void> {
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!fs.existsSync(vite)) {
    return Promise.reject(
      new Error('vite is not installed (it is a dev dependency): run `npm ci` to build the web app'),
    );
  }
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [vite, 'build', '--config', path.join(ROOT, 'web', 'vite.config.ts'), '--logLevel', 'warn'],
      {
        cwd: ROOT,
        // Test runners set NODE_ENV=test, which would make Vite bundle React's development build.
        env: { ...process.env, NODE_ENV: 'production' },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`web app build failed (vite exited with ${code})`)),
    );
  });
}

/**
 * Writes .br and .gz beside every script and stylesheet, so the server sends them compressed
 * (@fastify/static `preCompressed`) without compressing on each request.
 */
export function precompress(dir = path.join(WEB_OUT, 'assets')): void {
  for (const f of fs.readdirSync(dir)) {
    if (!/\.(js|css|svg|json)$/.test(f)) continue;
    const body = fs.readFileSync(path.join(dir, f));
    fs.writeFileSync(path.join(dir, `${f}.gz`), gzipSync(body, { level: 9 }));
    fs.writeFileSync(
      path.join(dir, `${f}.br`),
      brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }),
    );
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Builds the web app unless it is fresh; resolves to whether it built. Waits for a build already running elsewhere. */
export async function ensureWebBuilt(opts: { force?: boolean } = {}): Promise<boolean> {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  const started = Date.now();
  for (;;) {
    if (!opts.force && webBuildIsFresh()) return false;
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      // Someone else is building; a lock older than two minutes was left by a killed build.
      const age = Date.now() - newest(LOCK);
      if (age > 120_000) fs.rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() - started > 180_000)
        throw new Error(`waited 3 minutes for ${LOCK}; remove it if no build is running`);
      await sleep(250);
    }
  }
  try {
    if (!opts.force && webBuildIsFresh()) return false;
    await runVite();
    precompress();
    return true;
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes('--force');
  ensureWebBuilt({ force }).then(
    (built) =>
      process.stderr.write(built ? `web app built into ${path.relative(ROOT, WEB_OUT)}\n` : 'web app is up to date\n'),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
