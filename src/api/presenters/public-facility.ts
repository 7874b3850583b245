import { required } from '../../domain/required.ts';
import { FACILITY_KINDS } from '../../domain/vocabularies.ts';
import type { PublicAreaRow, PublicFacilityPage, PublicFacilityRow } from '../../services/public-facility.service.ts';
import { presentPublicStatementSummary } from './public-statement.ts';

/** A public area with the areas inside it. */
export type PublicAreaNode = PublicAreaRow & { children: PublicAreaNode[] };

/**
 * Nests a facility's public areas under their parents (building → floor → room), keeping the
 * given order among siblings. An area whose parent is not in the list, or whose ancestry loops
 * back to itself, becomes a root rather than vanishing (or making the tree endless).
 */
function publicAreaTree(areas: readonly PublicAreaRow[]): PublicAreaNode[] {
  const byId = new Map(areas.map((a) => [a.id, a]));
  const inLoop = (a: PublicAreaRow) => {
    const seen = new Set<string>();
    let p = a.parentId;
    while (p !== null) {
      const parent = byId.get(p);
      if (!parent) break;
      if (p === a.id || seen.has(p)) return true;
      seen.add(p);
      p = parent.parentId;
    }
    return false;
  };
  const nodes = new Map<string, PublicAreaNode>(areas.map((a) => [a.id, { ...a, children: [] }]));
  const roots: PublicAreaNode[] = [];
  for (const a of areas) {
    const node = required(nodes.get(a.id), `the node of area ${a.id}`);
    const parent = a.parentId !== null && !inLoop(a) ? nodes.get(a.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** A public facility with the label of its kind. */
export function presentPublicFacility<F extends PublicFacilityRow>(f: F): F & { kindLabel: string } {
  return { ...f, kindLabel: FACILITY_KINDS.find((k) => k.id === f.kind)?.en ?? f.kind };
}

/** A facility's public page: the layout as a tree, statements as lines. */
export function presentPublicFacilityPage(p: PublicFacilityPage) {
  return {
    ...presentPublicFacility(p),
    areas: publicAreaTree(p.areas),
    statements: p.statements.map(presentPublicStatementSummary),
  };
}
