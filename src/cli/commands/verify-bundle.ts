import fs from 'node:fs';
import { VigilError } from '../../domain/errors.ts';
import { checkBundleFile, describeBundleReport } from '../../services/bundle-verify.service.ts';
import { formatBytes, startProgress } from '../progress.ts';

/**
 * `vigil verify-bundle FILE.zip [--key KEY] [--tsa-cert PEM]`: checks a bundle offline (no
 * database, no network) and prints the report; with `--tsa-cert`, each file's RFC 3161 token is
 * checked against that TSA certificate (or its CA) and its time printed. Resolves to the exit
 * code: 0 intact, 1 a check failed.
 */
export async function verifyBundleCommand(
  file: string,
  opts: { key?: string; tsaCert?: string },
  write: (text: string) => void,
): Promise<number> {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile())
    throw new VigilError('validation.invalid', `no such file: ${file}`, { path: 'file' });
  let progress: ReturnType<typeof startProgress> | undefined;
  let report;
  try {
    report = await checkBundleFile(file, {
      expectedKey: opts.key,
      tsaCertFile: opts.tsaCert,
      onBytes(done, total) {
        progress ??= startProgress('verify', total, { format: formatBytes });
        progress.update(done);
      },
    });
  } finally {
    progress?.stop();
  }
  write(describeBundleReport(report));
  return report.ok ? 0 : 1;
}
