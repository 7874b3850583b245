/**
 * Checking an evidence bundle offline (docs/bundles.md): no store, no network, so `vigil
 * verify-bundle` runs on any machine with the bundle alone.
 */
import { formatReport, verifyBundle, type BundleReport } from '../evidence/bundle-verify.ts';
import { readTrustedCertFile } from '../evidence/timestamp-config.ts';

export interface BundleCheckOptions {
  /** The instance's public key to expect (PEM or base64). */
  expectedKey?: string | undefined;
  /** A PEM file of the TSA certificate (or its CA) to check the files' RFC 3161 tokens against. */
  tsaCertFile?: string | undefined;
  onBytes?: (done: number, total: number) => void;
}

/**
 * Verifies the bundle in `file`; `validation.invalid` (at `tsa-cert`) when the TSA certificate
 * file cannot be read. A bad bundle never throws: the report says what is wrong.
 */
export async function checkBundleFile(file: string, opts: BundleCheckOptions = {}): Promise<BundleReport> {
  const tsaCert =
    opts.tsaCertFile === undefined ? undefined : readTrustedCertFile(opts.tsaCertFile, 'tsa-cert').trusted;
  return verifyBundle(file, {
    expectedKey: opts.expectedKey,
    tsaCert,
    ...(opts.onBytes ? { onBytes: opts.onBytes } : {}),
  });
}

/** The report as `vigil verify-bundle` prints it. */
export function describeBundleReport(r: BundleReport): string {
  return formatReport(r);
}
