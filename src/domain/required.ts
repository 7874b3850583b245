import { VigilError } from './errors.ts';

/**
 * The value, which the code around it guarantees is there (an index inside the array's length,
 * a regex group that is not optional); throws an `internal` error naming `what` if it is not.
 */
export function required<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new VigilError('internal', `${what} is missing`);
  return value;
}
