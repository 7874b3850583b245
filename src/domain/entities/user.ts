import { z } from 'zod';
import { UserRoleSchema } from '../vocabularies.ts';
import { Line } from './common.ts';

/** A person who signs in to Vigil. */
export const UserInput = z.strictObject({
  username: z
    .string()
    .min(2, 'must be at least 2 characters')
    .max(64, 'must be at most 64 characters')
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'may hold only lowercase letters, digits, dot, dash and underscore'),
  displayName: Line.optional(),
  role: UserRoleSchema,
  password: z.string().min(12, 'must be at least 12 characters').max(1024).optional(),
});
export type UserInput = z.input<typeof UserInput>;

export const User = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string().nullable(),
  role: z.string(),
  disabled: z.boolean(),
  /** Added without a password: cannot sign in until an admin sets one (`vigil user passwd`). */
  invited: z.boolean(),
  createdAt: z.string(),
});
export type User = z.infer<typeof User>;

/** A new password for a user: the same rules as when the user is added. */
export const PasswordInput = z.strictObject({ password: UserInput.shape.password.unwrap() });
