import type { Services } from '../../services/context.ts';
import { makeBundle, type BundleRequest, type BundleResult } from '../../services/bundle.service.ts';
import { formatBytes, startProgress } from '../progress.ts';
import { consoleActor } from '../runtime.ts';
import { instanceSigningKey } from './key.ts';

/** `vigil bundle`: writes a signed evidence bundle of an allegation, with a progress bar over the bytes of its files. */
export async function bundleCommand(svc: Services, req: BundleRequest): Promise<BundleResult> {
  const key = instanceSigningKey();
  let progress: ReturnType<typeof startProgress> | undefined;
  try {
    return await makeBundle(svc, consoleActor(), req, key, {
      onBytes(done, total) {
        progress ??= startProgress('bundle', total, { unit: '', format: formatBytes });
        progress.update(done);
      },
    });
  } finally {
    progress?.stop();
  }
}

/** The lines `vigil bundle` prints when done. */
export function describeBundle(r: BundleResult): string[] {
  return [
    `bundle: ${r.files} files (${formatBytes(r.fileBytes)}), ${r.custodyEvents} custody events, ${r.auditEntries} audit entries written to ${r.out} (${formatBytes(r.size)})`,
    ...(r.omittedItems > 0
      ? [`${r.omittedItems} items left out for a ${r.audience} audience (originals; only working copies go to it)`]
      : []),
    `audience ${r.audience}; signed by key ${r.fingerprint}; manifest SHA-256 ${r.manifestSha256}`,
    ...(r.timestamped > 0
      ? [`${r.timestamped} of ${r.files} files carry an RFC 3161 timestamp token (check with --tsa-cert)`]
      : []),
    `each file's custody log now records the export; check the bundle with: vigil verify-bundle ${r.out}`,
  ];
}
