import { z } from 'zod';
import { CustodyStateSchema, PerpetratorKindSchema, PersonRoleSchema, RiskLevelSchema } from '../vocabularies.ts';
import { Line, PartialDate, RecordKey, RecordMeta, Text } from './common.ts';

/** Identity fields: stored only as AES-256-GCM ciphertext, shown by pseudonym to everyone else. */
export const IdentityInput = z.strictObject({
  name: Line.optional(),
  birthDate: PartialDate.optional(),
  contacts: z.string().max(2000, 'must be at most 2000 characters').optional(),
  notes: Text.optional(),
});
export type IdentityInput = z.infer<typeof IdentityInput>;

/** Roles whose holders act publicly in an official capacity; only they may carry a public name. */
const PUBLIC_ROLES = new Set(['official']);

/** The fields of a person as a client gives them; identity only in clear, sealed by Vigil. */
export const PersonFields = z.strictObject({
  id: RecordKey.optional(),
  externalId: RecordKey.optional(),
  roles: z.array(PersonRoleSchema).min(1, 'at least one role is required').max(6),
  publicName: Line.optional(),
  publicRole: Line.optional(),
  organizationId: RecordKey.optional(),
  perpetratorKind: PerpetratorKindSchema.optional(),
  isUnit: z.boolean().default(false),
  custody: CustodyStateSchema.default('unknown'),
  risk: RiskLevelSchema.default('low'),
  identity: IdentityInput.optional(),
});

function onlyOfficialsPublic(p: { roles: string[]; publicName?: string | undefined }, ctx: z.RefinementCtx): void {
  if (p.publicName !== undefined && !p.roles.every((r) => PUBLIC_ROLES.has(r))) {
    ctx.addIssue({
      code: 'custom',
      path: ['publicName'],
      message: 'only officials may have a public name; use identity.name',
    });
  }
}

/**
 * A person (or a unit, for alleged perpetrators). Victims, witnesses and relatives never carry a
 * public name: their identity exists only in the sealed fields. An official speaking in public
 * (a spokesman) may have `publicName`, which is not treated as a secret. The API accepts no
 * sealed values: a ciphertext is never taken from a client.
 */
export const PersonInput = PersonFields.superRefine(onlyOfficialsPublic);
export type PersonInput = z.input<typeof PersonInput>;

/** A person as everyone but the case team sees them: pseudonym, roles, no identity. */
export const Person = RecordMeta.extend({
  pseudonym: z.string(),
  roles: z.array(z.string()),
  publicName: z.string().nullable(),
  publicRole: z.string().nullable(),
  organizationId: z.string().nullable(),
  perpetratorKind: z.string().nullable(),
  isUnit: z.boolean(),
  custody: z.string(),
  risk: z.string(),
  hasIdentity: z.boolean(),
});
export type Person = z.infer<typeof Person>;

/** A person's decrypted identity, for those allowed to see it. */
export const Identity = z.object({
  name: z.string().nullable(),
  birthDate: z.string().nullable(),
  contacts: z.string().nullable(),
  notes: z.string().nullable(),
});
export type Identity = z.infer<typeof Identity>;

/**
 * A person line of a full export (`vigil export` at the console, `vigil import`): the identity may
 * come sealed, and then must open for this record id under this instance's key.
 */
export const PersonImport = PersonFields.extend({
  sealedIdentity: z
    .strictObject({
      name: z.string().optional(),
      birthDate: z.string().optional(),
      contacts: z.string().optional(),
      notes: z.string().optional(),
    })
    .optional(),
}).superRefine((p, ctx) => {
  onlyOfficialsPublic(p, ctx);
  if (p.identity && p.sealedIdentity) {
    ctx.addIssue({
      code: 'custom',
      path: ['sealedIdentity'],
      message: 'give either identity or sealedIdentity, not both',
    });
  }
});
export type PersonImport = z.input<typeof PersonImport>;
