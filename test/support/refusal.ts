import { isVigilError } from '../../src/domain/errors.ts';

/** The refusal of a call, as its error code and field path; throws when the call went through or failed otherwise. */
export async function refusalOf(call: () => Promise<unknown>): Promise<{ code: string; path: string | undefined }> {
  try {
    await call();
  } catch (err) {
    if (isVigilError(err)) return { code: err.code, path: err.path };
    throw err;
  }
  throw new Error('the call was not refused');
}
