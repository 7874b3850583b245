import type { SignedHead } from '../../store/audit-signature.ts';

/** Something outside the database that keeps signed heads of the audit chain, so that a rewrite is caught. */
export interface Witness {
  readonly id: string;
  deliver(head: SignedHead): Promise<void>;
}
