import { ROLES, isAllowed, type RouteAccess, type RouteAccessEntry } from './access.ts';

/** The markers around the generated table in docs/roles.md; text outside them is written by hand. */
export const MATRIX_BEGIN = "<!-- role matrix: generated from the routes' config.access; do not edit by hand -->";
export const MATRIX_END = '<!-- end of role matrix -->';

function describe(access: RouteAccess): string {
  if (access === 'public') return 'public';
  if (access === 'authenticated') return 'signed in';
  if (access === 'witness') return 'witness token';
  return access.join(', ');
}

/**
 * The route × role matrix as a Markdown table: one row per route (by path, then method), one
 * column per role and one for "no login", ✅ where allowed.
 */
export function renderRoleMatrix(routes: readonly RouteAccessEntry[]): string {
  const rows = [...routes].sort((a, b) =>
    a.url < b.url ? -1 : a.url > b.url ? 1 : a.method < b.method ? -1 : a.method > b.method ? 1 : 0,
  );
  const head = ['route', 'access', 'need-to-know on :id', ...ROLES, 'no login'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const cells = [...ROLES, null].map((role) => (isAllowed(r.access, role) ? '✅' : '—'));
    lines.push(
      `| \`${r.method} ${r.url}\` | ${describe(r.access)} | ${r.record === undefined ? '' : r.record.replace('_', ' ')} | ${cells.join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/** `doc` with the text between the markers replaced by `table`; throws if the markers are missing. */
export function withRoleMatrix(doc: string, table: string): string {
  const begin = doc.indexOf(MATRIX_BEGIN);
  const end = doc.indexOf(MATRIX_END);
  if (begin < 0 || end < begin) throw new Error('the role matrix markers are missing');
  return `${doc.slice(0, begin + MATRIX_BEGIN.length)}\n\n${table}\n\n${doc.slice(end)}`;
}
