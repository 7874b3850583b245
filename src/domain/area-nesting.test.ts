import { describe, expect, it } from 'vitest';
import { type AreaLink, nestingProblem } from './area-nesting.ts';
import type { AreaLevel } from './vocabularies.ts';

const area = (id: string, level: AreaLevel, parentId: string | null = null): AreaLink => ({ id, level, parentId });

describe('how areas nest', () => {
  it('takes site → building → floor → room → cell, with levels skipped', () => {
    const tree = [area('s', 'site'), area('b', 'building', 's'), area('f', 'floor', 'b'), area('r', 'room', 'f')];
    expect(nestingProblem([...tree, area('c', 'cell', 'r')], 's')).toBeUndefined();
    expect(nestingProblem([area('b', 'building'), area('r', 'room', 'b')], 'r')).toBeUndefined();
  });

  it('refuses a building under a room, a floor under a floor, a room under a cell', () => {
    expect(nestingProblem([area('r', 'room'), area('b', 'building', 'r')], 'b')).toMatchObject({
      id: 'b',
      level: 'building',
      insideLevel: 'room',
    });
    expect(nestingProblem([area('f', 'floor'), area('g', 'floor', 'f')], 'g')?.insideLevel).toBe('floor');
    expect(nestingProblem([area('c', 'cell'), area('r', 'room', 'c')], 'r')?.insideLevel).toBe('cell');
  });

  it('lets other fit anywhere, and looks through it for the level above', () => {
    const tree = [area('r', 'room'), area('o', 'other', 'r')];
    expect(nestingProblem(tree, 'o')).toBeUndefined();
    expect(nestingProblem([...tree, area('c', 'cell', 'o')], 'c')).toBeUndefined();
    expect(nestingProblem([...tree, area('b', 'building', 'o')], 'b')).toMatchObject({ insideLevel: 'room' });
  });

  it('judges the subtree of a changed area, and nothing outside it', () => {
    // A floor turned into a cell: its room below no longer fits.
    const tree = [area('b', 'building'), area('f', 'cell', 'b'), area('r', 'room', 'f'), area('x', 'site', 'b')];
    expect(nestingProblem(tree, 'f')).toMatchObject({ id: 'r', insideLevel: 'cell' });
    expect(nestingProblem(tree, 'b')?.id).toBe('x');
    expect(
      nestingProblem([area('b', 'building'), area('ok', 'room', 'b'), area('old', 'site', 'b')], 'ok'),
    ).toBeUndefined();
  });
});
