import { readFileSync } from 'node:fs';
import { VigilError } from '../domain/errors.ts';
import { extract } from '../extract/extract.ts';
import { Extraction } from '../extract/types.ts';

/** What the review queue needs of an extractor: text in, an `Extraction` out, and a version to record. */
export interface Extractor {
  readonly version: string;
  extract(text: string): Extraction | Promise<Extraction>;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0';
  } catch {
    return '0';
  }
}

let shipped: Extractor | undefined;

/** The extractor shipped in src/extract (rules and gazetteers, offline). */
export function defaultExtractor(): Extractor {
  shipped ??= { version: `vigil-extract@${packageVersion()}`, extract };
  return shipped;
}

/**
 * Runs `extractor` and checks its output against the schema: the queue stores only what the
 * schema describes, and a fault in the rules is the server's problem, not the caller's input.
 */
export async function runExtractor(extractor: Extractor, text: string): Promise<Extraction> {
  const out = Extraction.safeParse(await extractor.extract(text));
  if (!out.success)
    throw new VigilError(
      'internal',
      `the extractor's output does not match its schema: ${out.error.issues[0]?.message ?? ''}`,
    );
  return out.data;
}
