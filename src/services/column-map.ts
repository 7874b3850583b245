import { toJson } from '../store/repositories/json-column.ts';

/** How one input field becomes a column: its name, and a conversion when it is not stored as is. */
export type ColumnSpec = string | readonly [column: string, convert: (value: unknown) => unknown];

/** Input field → column, for the fields a record stores directly. */
export type ColumnMap = Readonly<Record<string, ColumnSpec>>;

/** Stores lists and objects as JSON text. */
export const json = (column: string): ColumnSpec => [column, (v) => toJson(v)];
/** Stores booleans as 0/1. */
export const flag = (column: string): ColumnSpec => [column, (v) => (v ? 1 : 0)];

/**
 * The columns for `data`. For a new record (`partial` false) every mapped field gets a column,
 * absent ones null; for an update only the fields present in `data` are set, so a field left out
 * keeps its value and a field sent as null is cleared.
 */
export function toColumns(map: ColumnMap, data: Record<string, unknown>, partial = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, spec] of Object.entries(map)) {
    const present = Object.prototype.hasOwnProperty.call(data, field) && data[field] !== undefined;
    if (partial && !present) continue;
    const value = present ? data[field] : null;
    if (typeof spec === 'string') out[spec] = value;
    else out[spec[0]] = value === null ? null : spec[1](value);
  }
  return out;
}
