import { describe, expect, it } from 'vitest';
import { FacilityInput } from '../domain/entities/facility.ts';
import { updateSchema } from './record-write.ts';

describe('updateSchema', () => {
  const FacilityUpdate = updateSchema(FacilityInput.shape);

  it('leaves absent fields absent (no creation defaults) and requires a version', () => {
    expect(FacilityUpdate.parse({ name: 'New name', version: 3 })).toEqual({ name: 'New name', version: 3 });
    expect(FacilityUpdate.safeParse({ name: 'x' }).success).toBe(false);
  });

  it('refuses ids, unknown fields and an empty change', () => {
    expect(FacilityUpdate.safeParse({ id: 'x', version: 1 }).success).toBe(false);
    expect(FacilityUpdate.safeParse({ colour: 'red', version: 1 }).success).toBe(false);
    expect(FacilityUpdate.safeParse({ version: 1 }).success).toBe(false);
  });
});
