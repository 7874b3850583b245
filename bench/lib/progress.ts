/**
 * Progress bars for the long phases of a benchmark (generation, import, verify). They draw on
 * stderr, so stdout carries only the figures. Without a terminal they print a plain line every
 * few seconds instead of redrawing.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  update(value: number, total?: number): void;
  stop(): void;
}

export function progressBar(label: string, total: number, unit = ''): Progress {
  const tty = Boolean(process.stderr.isTTY);
  const bar = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(22)} [{bar}] {percentage}% | {value}/{total}${unit ? ` ${unit}` : ''} | {duration_formatted} | ETA {eta_formatted}`,
      barsize: 30,
      hideCursor: tty,
      noTTYOutput: !tty,
      notTTYSchedule: 10_000,
      fps: 5,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.max(total, 1), 0);
  let stopped = false;
  return {
    update(value, newTotal) {
      if (stopped) return;
      if (newTotal !== undefined) bar.setTotal(Math.max(newTotal, 1));
      bar.update(value);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
