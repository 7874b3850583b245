/** The registry of facilities as the work pages need it: names in the reader's script, areas flattened for a picker. */
import { fetchAll } from './format.ts';
import type { AreaNode, Facility } from './types.ts';

let facilities: Promise<Facility[]> | undefined;

/** Every facility (cached for the page's life; `fresh` reloads). */
export function loadFacilities(fresh = false): Promise<Facility[]> {
  if (fresh || !facilities) {
    facilities = fetchAll<Facility>('/facilities').catch((err: unknown) => {
      facilities = undefined;
      throw err;
    });
  }
  return facilities;
}

/** A facility's name in the reader's language, with its code when it has one. */
export function facilityName(f: Pick<Facility, 'name' | 'nameRu' | 'code'> | undefined, lang: string): string {
  if (!f) return '';
  const name = lang.startsWith('ru') && f.nameRu ? f.nameRu : f.name;
  return f.code && !name.includes(f.code) && !(f.nameRu ?? '').includes(f.code) ? `${name} (${f.code})` : name;
}

/** An area's label in the reader's language. */
export function areaLabel(a: Pick<AreaNode, 'label' | 'labelRu'>, lang: string): string {
  return lang.startsWith('ru') && a.labelRu ? a.labelRu : a.label;
}

/** The area tree as a list in display order, each with its depth and path of labels. */
export function flattenAreas(
  nodes: AreaNode[],
  lang: string,
  depth = 0,
  path: string[] = [],
): { area: AreaNode; depth: number; path: string[] }[] {
  return nodes.flatMap((n) => {
    const here = [...path, areaLabel(n, lang)];
    return [{ area: n, depth, path: here }, ...flattenAreas(n.children, lang, depth + 1, here)];
  });
}
