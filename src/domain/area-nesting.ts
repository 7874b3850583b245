/**
 * How the areas of a facility nest: site → building → floor → room → cell. An area sits deeper
 * than every ranked area above it (a level may be skipped: a room straight under a building is a
 * one-storey building); `other` (a yard, a corridor, a basement without floors) fits anywhere and
 * holds anything, so it is passed through when looking for the level above.
 */
import type { AreaLevel } from './vocabularies.ts';

/** The depth of each ranked level; `other` (and any level not listed) has none. */
const RANK: ReadonlyMap<string, number> = new Map<AreaLevel, number>([
  ['site', 0],
  ['building', 1],
  ['floor', 2],
  ['room', 3],
  ['cell', 4],
]);

/** One area as the nesting rule sees it. */
export interface AreaLink {
  readonly id: string;
  readonly parentId: string | null;
  readonly level: AreaLevel | string;
}

/** An area that sits inside a level it cannot: `level` inside `insideLevel`. */
export interface NestingProblem {
  readonly id: string;
  readonly level: string;
  readonly insideLevel: string;
  readonly message: string;
}

/**
 * The first area of the subtree rooted at `rootId` (the root itself first) that sits inside a
 * level it may not, in the tree as given; undefined when the subtree nests well. Areas outside the
 * subtree are not judged, so a tree recorded before this rule can still be edited elsewhere.
 */
export function nestingProblem(tree: readonly AreaLink[], rootId: string): NestingProblem | undefined {
  const byId = new Map(tree.map((a) => [a.id, a]));
  const children = new Map<string, AreaLink[]>();
  for (const a of tree) {
    if (a.parentId === null) continue;
    const list = children.get(a.parentId) ?? [];
    list.push(a);
    children.set(a.parentId, list);
  }
  const rankedAbove = (a: AreaLink): AreaLink | undefined => {
    const seen = new Set<string>([a.id]);
    let at = a.parentId === null ? undefined : byId.get(a.parentId);
    while (at && !seen.has(at.id)) {
      if (RANK.has(at.level)) return at;
      seen.add(at.id);
      at = at.parentId === null ? undefined : byId.get(at.parentId);
    }
    return undefined;
  };
  const queue = [byId.get(rootId)].filter((a): a is AreaLink => a !== undefined);
  const visited = new Set<string>();
  for (let a = queue.shift(); a; a = queue.shift()) {
    if (visited.has(a.id)) continue;
    visited.add(a.id);
    const rank = RANK.get(a.level);
    const above = rankedAbove(a);
    const aboveRank = above ? RANK.get(above.level) : undefined;
    if (above && rank !== undefined && aboveRank !== undefined && aboveRank >= rank) {
      return {
        id: a.id,
        level: a.level,
        insideLevel: above.level,
        message: `a ${a.level} cannot be inside a ${above.level}: areas nest site → building → floor → room → cell (other fits anywhere)`,
      };
    }
    queue.push(...(children.get(a.id) ?? []));
  }
  return undefined;
}
