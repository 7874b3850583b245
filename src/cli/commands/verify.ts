import type { Services } from '../../services/context.ts';
import { verifyStore, type VerifyResult } from '../../store/audit-verify.ts';
import { startProgress, type Progress } from '../progress.ts';

/** `vigil verify`: recomputes the chain and every record's state hash, with a progress bar per phase. */
export async function verifyCommand(svc: Services): Promise<VerifyResult> {
  let bar: Progress | undefined;
  let phase = '';
  const result = await verifyStore(svc.store, (p, done, total) => {
    if (p !== phase) {
      bar?.stop();
      phase = p;
      bar = startProgress(p === 'chain' ? 'audit chain' : 'records', total, { unit: p === 'chain' ? 'entries' : 'records' });
    }
    bar?.update(done);
  });
  bar?.stop();
  return result;
}
