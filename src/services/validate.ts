import type { z } from 'zod';
import { VigilError } from '../domain/errors.ts';
import { required } from '../domain/required.ts';

/** Dotted path of a zod issue: `acts.0.kind`. */
function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

/** Parses input with a domain schema; the first problem becomes a `validation.invalid` error naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  // zod reports at least one issue for every failed parse.
  const issue = required(r.error.issues[0], 'the first issue of a failed parse');
  const path = [prefix, issuePath(issue.path)].filter((p) => p).join('.') || '(root)';
  const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : undefined;
  const message = unknownKeys
    ? `unknown field${unknownKeys.length > 1 ? 's' : ''}: ${unknownKeys.join(', ')}`
    : issue.message;
  throw new VigilError('validation.invalid', message, {
    path,
    details: { issues: r.error.issues.slice(0, 20).map((i) => ({ path: issuePath(i.path), message: i.message })) },
  });
}
