import { describe, expect, it } from 'vitest';
import type { Area } from '../../domain/entities/facility.ts';
import { areaTree } from './area-tree.ts';

function area(id: string, parentId: string | null, level = 'room'): Area {
  return {
    id,
    externalId: null,
    createdAt: '',
    updatedAt: '',
    version: 1,
    facilityId: 'f',
    parentId,
    level,
    label: id,
    labelRu: null,
    count: null,
    floors: null,
    location: null,
    access: null,
    declaredUse: [],
    declaredBy: null,
    declaredInStatementId: null,
    notes: null,
  };
}

describe('areaTree', () => {
  it('nests children under parents whatever the input order, keeping sibling order', () => {
    const tree = areaTree([
      area('room-2', 'floor'),
      area('building', null, 'building'),
      area('floor', 'building', 'floor'),
      area('room-1', 'floor'),
    ]);
    expect(tree.map((n) => n.id)).toEqual(['building']);
    expect(tree[0]!.children.map((n) => n.id)).toEqual(['floor']);
    expect(tree[0]!.children[0]!.children.map((n) => n.id)).toEqual(['room-2', 'room-1']);
  });

  it('keeps an area whose parent is missing as a root', () => {
    expect(areaTree([area('orphan', 'gone')]).map((n) => n.id)).toEqual(['orphan']);
  });
});
