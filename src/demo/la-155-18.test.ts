import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IMPORT_SCHEMAS, IMPORT_TYPES, type ImportType } from '../domain/entities/import-line.ts';
import { DEMO_SOURCE_NOTE, demoLines } from './la-155-18.ts';

const PREFIX = 'demo:la-155-18:';
const article = readFileSync(new URL('./la-155-18.article.txt', import.meta.url), 'utf8');
const sharedArticle = new URL('../../../shared/scenarios/la-155-18/article.txt', import.meta.url);
const lines = demoLines();
const byId = new Map(lines.map((l) => [l.externalId as string, l]));

/** Every string value under a key ending in `Id` (or in an array under `...Ids`), at any depth. */
function references(value: unknown, path = ''): Array<{ path: string; ref: string }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => references(v, `${path}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const here = path ? `${path}.${key}` : key;
    if (key === 'id' || key === 'externalId') return [];
    if (/Ids?$/.test(key)) {
      if (typeof v === 'string') return [{ path: here, ref: v }];
      if (Array.isArray(v))
        return v.flatMap((x, i) =>
          typeof x === 'string' ? [{ path: `${here}[${i}]`, ref: x }] : references(x, `${here}[${i}]`),
        );
    }
    return references(v, here);
  });
}

function hasKey(value: unknown, key: string): boolean {
  if (Array.isArray(value)) return value.some((v) => hasKey(v, key));
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([k, v]) => k === key || hasKey(v, key));
}

describe('LA-155/18 demo dataset', () => {
  it('has lines of known types, in import order', () => {
    expect(lines.length).toBeGreaterThan(0);
    const order = lines.map((l) => IMPORT_TYPES.indexOf(l.type as ImportType));
    expect(order.every((o) => o >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('parses every line with its import schema (no unknown fields)', () => {
    lines.forEach((line, i) => {
      const { type, ...body } = line;
      const schema = IMPORT_SCHEMAS[type as ImportType];
      const result = schema.safeParse(body);
      expect(result.error?.issues ?? [], `line ${i + 1} (${type} ${String(body.externalId)})`).toEqual([]);
    });
  });

  it('gives every line a unique, prefixed external id', () => {
    const ids = lines.map((l) => l.externalId);
    for (const id of ids) expect(typeof id === 'string' && id.startsWith(PREFIX), String(id)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refers only to records defined on earlier lines', () => {
    const seen = new Set<string>();
    lines.forEach((line, i) => {
      for (const { path, ref } of references(line)) {
        expect(seen.has(ref), `line ${i + 1} ${path} -> ${ref}`).toBe(true);
      }
      seen.add(line.externalId as string);
    });
    // Spot-check the intended links.
    expect(byId.get(`${PREFIX}area:semi-basement-rooms`)?.parentId).toBe(`${PREFIX}area:secure-buildings`);
    expect(byId.get(`${PREFIX}area:semi-basement-rooms`)?.declaredInStatementId).toBe(`${PREFIX}statement:mvd-denial`);
  });

  it('holds the reported figures 27, 7 and 20 from the Oraz briefing, and the 230 cells', () => {
    const figures = lines.filter((l) => l.type === 'reported_figure');
    const byCount = Object.fromEntries(figures.map((f) => [f.counts as string, f]));
    expect(byCount.torture_reports?.value).toBe(27);
    expect(byCount.criminal_investigations?.value).toBe(7);
    expect(byCount.internal_inquiries?.value).toBe(20);
    for (const f of figures) {
      expect(f.statementId).toBe(`${PREFIX}statement:oraz-briefing`);
      expect(f.asOf).toBe('2022-01');
      expect(f.asOfPrecision).toBe('part_of_month');
    }
    const facility = lines.find((l) => l.type === 'facility');
    expect(facility?.cells).toBe(230);
    expect(lines.find((l) => l.type === 'area' && l.level === 'cell')?.count).toBe(230);
    // 230 is a layout fact, not an accountability figure.
    expect(figures.some((f) => f.value === 230)).toBe(false);
  });

  it('has the five statements of the article, with verbatim quotes', () => {
    const statements = lines.filter((l) => l.type === 'statement');
    expect(statements.map((s) => s.stance).sort()).toEqual([
      'allegation',
      'confirmation',
      'confirmation',
      'denial',
      'neutral',
    ]);
    for (const s of statements) {
      expect(s.review).toBeUndefined();
      for (const part of String(s.quote ?? '')
        .split('\n')
        .filter(Boolean))
        expect(article.includes(part), part).toBe(true);
    }
  });

  it('keeps the article verbatim as the source content', () => {
    const source = lines.find((l) => l.type === 'source');
    expect(source?.content).toBe(article);
    expect(source?.title).toBe(article.split('\n')[0]);
    expect(DEMO_SOURCE_NOTE).toContain('la-155-18.article.txt');
  });

  it.runIf(existsSync(sharedArticle))('ships a byte-for-byte copy of the scenario article', () => {
    expect(readFileSync(new URL('./la-155-18.article.txt', import.meta.url)).equals(readFileSync(sharedArticle))).toBe(
      true,
    );
  });

  it('carries no person identity and no victims, allegations, proceedings or visits', () => {
    for (const line of lines) {
      expect(hasKey(line, 'identity'), String(line.externalId)).toBe(false);
      expect(hasKey(line, 'sealedIdentity'), String(line.externalId)).toBe(false);
    }
    expect(lines.filter((l) => ['allegation', 'proceeding', 'visit', 'evidence_item'].includes(l.type))).toEqual([]);
    expect(
      lines
        .filter((l) => l.type === 'person')
        .every((p) => Array.isArray(p.roles) && p.roles.every((r) => r === 'official')),
    ).toBe(true);
  });
});
