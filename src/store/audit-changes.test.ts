import { describe, expect, it } from 'vitest';
import { decodeChanges, encodeChanges, partChanges, updateChanges } from './audit-changes.ts';

describe('audit changes', () => {
  it('lists the fields that differ, JSON columns parsed, bookkeeping left out', () => {
    const before = {
      id: 'a',
      title: 'Beaten',
      summary: null,
      consent: '["record","share"]',
      version: 1,
      updated_at: 't1',
      risk: 'low',
    };
    const after = {
      id: 'a',
      title: 'Beaten and threatened',
      summary: null,
      consent: '["record"]',
      version: 2,
      updated_at: 't2',
      risk: 'low',
    };
    expect(updateChanges('allegation', before, after)).toEqual([
      { field: 'title', from: 'Beaten', to: 'Beaten and threatened' },
      { field: 'consent', from: ['record', 'share'], to: ['record'] },
    ]);
    expect(updateChanges('allegation', before, { ...before, version: 2 })).toEqual([]);
  });

  it('records only that a sensitive field changed: every field of a person, sealed values, secrets and their hashes', () => {
    const before = {
      id: 'p',
      name_enc: 'v2.k.AAA',
      name_index: 'i1',
      custody: 'in_custody',
      risk: 'low',
      roles: '["victim"]',
      version: 1,
    };
    const after = {
      id: 'p',
      name_enc: 'v2.k.BBB',
      name_index: 'i2',
      custody: 'released',
      risk: 'low',
      roles: '["victim","witness"]',
      version: 2,
    };
    expect(updateChanges('person', before, after)).toEqual([
      { field: 'name', changed: true },
      { field: 'custody', changed: true },
      { field: 'roles', changed: true },
    ]);
    expect(
      updateChanges('app_user', { password_hash: 'x', role: 'analyst' }, { password_hash: 'y', role: 'admin' }),
    ).toEqual([
      { field: 'password_hash', changed: true },
      { field: 'role', from: 'analyst', to: 'admin' },
    ]);
    expect(
      updateChanges(
        'source',
        { handle: '@mother', content: 'testimony', title: 'Call' },
        { handle: '@aunt', content: 'more', title: 'Call 2' },
      ),
    ).toEqual([
      { field: 'handle', changed: true },
      { field: 'content', changed: true },
      { field: 'title', from: 'Call', to: 'Call 2' },
    ]);
  });

  it('carries the fields of a part added or removed, not of a record of its own', () => {
    const act = {
      id: 'a:001',
      allegation_id: 'a',
      kind: 'beating',
      victim_id: 'p1',
      area_id: null,
      description: 'in the basement',
    };
    expect(partChanges('allegation_act', act, 'added')).toEqual([
      { field: 'kind', from: null, to: 'beating' },
      { field: 'victim_id', from: null, to: 'p1' },
      { field: 'description', from: null, to: 'in the basement' },
    ]);
    expect(partChanges('allegation_act', act, 'removed')![0]).toEqual({ field: 'kind', from: 'beating', to: null });
    expect(partChanges('allegation', { id: 'a', title: 't' }, 'added')).toBeUndefined();
  });

  it('stores canonical JSON that reads back as it was', () => {
    const changes = [
      { field: 'consent', from: ['record', 'share'], to: ['record'] },
      { field: 'name', changed: true as const },
    ];
    const text = encodeChanges(changes)!;
    expect(text).toBe(
      '[{"field":"consent","from":["record","share"],"to":["record"]},{"changed":true,"field":"name"}]',
    );
    expect(decodeChanges(text)).toEqual(changes);
    expect(encodeChanges([])).toBe('[]');
    expect(encodeChanges(undefined)).toBeNull();
    expect(decodeChanges(null)).toBeNull();
  });
});
