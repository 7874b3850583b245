import { spawn } from 'node:child_process';

/** Times the real `sha256sum` over `file` (the baseline of the hashing benchmarks); returns the wall time and the digest it printed. */
export function timeSha256sum(file: string): Promise<{ ms: number; digest: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('sha256sum', [file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) reject(new Error(`sha256sum exited with ${code}`));
      else resolve({ ms, digest: out.split(/\s+/)[0] ?? '' });
    });
  });
}
