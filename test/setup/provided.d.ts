import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin connection URL of the PostgreSQL server for this test run (see test/setup/postgres.global.ts). */
    pgAdminUrl: string;
  }
}
