/**
 * `npm run check`: the house rules, each run even when one before it fails, so one run shows every
 * failing rule. Steps: typecheck (tsc), lint (Biome: format and lint), layers (dependency-cruiser:
 * no violation allowed), unused (knip). Ends with one line per step and
 * `check: N of 4 passed`; exits non-zero when any step failed.
 */
import { spawnSync } from 'node:child_process';

const STEPS = [
  ['typecheck', 'typecheck'],
  ['lint', 'lint'],
  ['layers', 'check:layers'],
  ['unused', 'check:unused'],
] as const;

const results: { name: string; ok: boolean; seconds: number }[] = [];
for (const [name, script] of STEPS) {
  console.log(`==> check: ${name} (npm run ${script})`);
  const started = Date.now();
  const run = spawnSync('npm', ['run', '--silent', script], { stdio: 'inherit' });
  results.push({ name, ok: run.status === 0, seconds: (Date.now() - started) / 1000 });
}

for (const r of results) {
  console.log(`check: ${r.name.padEnd(9)} ${r.ok ? 'ok' : 'FAILED'} (${r.seconds.toFixed(0)} s)`);
}
const passed = results.filter((r) => r.ok).length;
console.log(`check: ${passed} of ${results.length} passed`);
process.exit(passed === results.length ? 0 : 1);
