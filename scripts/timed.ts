/**
 * `node --import tsx scripts/timed.ts LABEL COMMAND [ARGS...]`: runs COMMAND, then prints its wall-clock
 * duration (`LABEL: 12 min 34 s wall clock`) and exits with its exit code. `npm test` runs vitest through it.
 */
import { spawn } from 'node:child_process';

const [label, command, ...args] = process.argv.slice(2);
if (!label || !command) {
  console.error('usage: timed.ts LABEL COMMAND [ARGS...]');
  process.exit(2);
}

const started = process.hrtime.bigint();
const child = spawn(command, args, { stdio: 'inherit', shell: false });
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));

function report(): void {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const min = Math.floor(seconds / 60);
  const sec = Math.round(seconds - min * 60);
  console.log(`${label}: ${min > 0 ? `${min} min ` : ''}${sec} s wall clock`);
}

child.on('error', (err) => {
  report();
  console.error(`${label}: could not start ${command}: ${err.message}`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  report();
  process.exit(code ?? (signal ? 1 : 0));
});
