import type { Kysely } from 'kysely';

/**
 * The database a migration receives. A migration runs against the schema as it was when the
 * migration was written, never the live one in `store/schema.ts`, so it cannot be typed from it;
 * Kysely's migration guide types it `Kysely<any>` for the same reason.
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration runs against a past schema, which no type in the live code describes
export type MigrationDb = Kysely<any>;
