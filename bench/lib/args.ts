/** `value`, or an error naming `what` when it is missing (where a missing value is a bug in the benchmark). */
export function must<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`bench: ${what} is missing`);
  return value;
}

/** Minimal `--name value` / `--flag` argument parsing for the benchmark scripts. */
export function parseArgs(argv: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = must(argv[i], `argument ${i}`);
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"`);
    const eq = a.indexOf('=');
    if (eq > 0) out.set(a.slice(2, eq), a.slice(eq + 1));
    else if (i + 1 < argv.length && !argv[i + 1]?.startsWith('--'))
      out.set(a.slice(2), must(argv[++i], `value of ${a}`));
    else out.set(a.slice(2), 'true');
  }
  return out;
}

/** A positive integer option (underscores allowed: 200_000), or its default. */
export function intArg(args: Map<string, string>, name: string, dflt: number): number {
  const v = args.get(name);
  if (v === undefined) return dflt;
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${v}"`);
  return n;
}

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function fmtSec(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
