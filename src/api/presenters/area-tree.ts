import type { Area } from '../../domain/entities/facility.ts';
import { required } from '../../domain/required.ts';
import type { AreaNode } from '../schemas.ts';

/**
 * Nests a facility's areas under their parents (building → floor → room), keeping the given
 * order among siblings. An area whose parent is not in the list becomes a root rather than vanishing.
 */
export function areaTree(areas: readonly Area[]): AreaNode[] {
  const nodes = new Map<string, AreaNode>(areas.map((a) => [a.id, { ...a, children: [] }]));
  const roots: AreaNode[] = [];
  for (const a of areas) {
    const node = required(nodes.get(a.id), `the node of area ${a.id}`);
    const parent = a.parentId !== null && a.parentId !== a.id ? nodes.get(a.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}
