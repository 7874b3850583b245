/** Reads a JSON text column, tolerating null. */
export function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null || text === '') return fallback;
  return JSON.parse(text) as T;
}

/** Writes a JSON text column. */
export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** undefined → null, for optional fields stored as nullable columns. */
export function orNull<T>(v: T | undefined): T | null {
  return v === undefined ? null : v;
}
