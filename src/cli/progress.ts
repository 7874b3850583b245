import cliProgress from 'cli-progress';

/** A progress indicator on stderr: a bar with rate and ETA on a terminal, a line every few seconds otherwise. */
export interface Progress {
  update(done: number, extra?: Record<string, string | number>): void;
  setTotal(total: number): void;
  stop(): void;
}

/** Starts a progress bar for `total` units (bytes, entries…); `unit` names them in the bar. */
export function startProgress(
  label: string,
  total: number,
  opts: { unit?: string; format?: (n: number) => string } = {},
): Progress {
  const fmt = opts.format ?? ((n: number) => n.toLocaleString('en'));
  if (!process.stderr.isTTY) {
    const started = Date.now();
    // Quiet for short work: the first line comes after five seconds.
    let last = started;
    let tot = total;
    return {
      update(done) {
        const now = Date.now();
        if (now - last < 5000) return;
        last = now;
        const rate = done / Math.max((now - started) / 1000, 0.001);
        process.stderr.write(`${label}: ${fmt(done)} / ${fmt(tot)} ${opts.unit ?? ''} (${fmt(Math.round(rate))}/s)\n`);
      },
      setTotal(t) {
        tot = t;
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${opts.unit ?? ''} | {rate}/s | ETA {eta_formatted} {extra}`,
      hideCursor: true,
      stream: process.stderr,
      etaBuffer: 50,
      formatValue: (v, _o, type) => (type === 'value' || type === 'total' ? fmt(v) : String(v)),
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  bar.start(total, 0, { rate: '0', extra: '' });
  return {
    update(done, extra = {}) {
      const rate = done / Math.max((Date.now() - started) / 1000, 0.001);
      bar.update(done, {
        rate: fmt(Math.round(rate)),
        extra: Object.entries(extra)
          .map(([k, v]) => `${k} ${v}`)
          .join(' '),
      });
    },
    setTotal(t) {
      bar.setTotal(t);
    },
    stop() {
      bar.stop();
    },
  };
}

/** 1.5 MB, 12 kB… */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
