import { pingDatabase } from '../store/repositories/health.repository.ts';
import type { Services } from './context.ts';

/** Whether the database answers: its dialect, and the error when it does not. */
export async function databaseHealth(
  svc: Services,
): Promise<{ database: Services['store']['dialect']; error?: unknown }> {
  const database = svc.store.dialect;
  try {
    await pingDatabase(svc.store.db);
    return { database };
  } catch (error) {
    return { database, error };
  }
}
