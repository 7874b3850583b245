import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isVigilError } from '../../src/domain/errors.ts';
import { SYSTEM, type Services } from '../../src/services/context.ts';
import { search, type SearchResponse } from '../../src/services/search.service.ts';
import { fts5Expression, tsqueryExpression } from '../../src/store/repositories/search.repository.ts';
import { describeEachDialect, TEST_DIALECTS } from '../support/databases.ts';
import {
  advanceAllegation,
  classify,
  makeAllegation,
  makeFacility,
  makePerson,
  makeSource,
  makeStatement,
  openTestServices,
} from '../support/factories.ts';

interface World {
  cyrillicSizo: string; // aliases only in Cyrillic: СИЗО ЛА-155/18
  latinAlias: string; // alias only in Latin: LA-155/18
  ivs: string;
  basement: string; // allegation at cyrillicSizo, Russian text with «пытки»
  manyTorture: string; // allegation at latinAlias, "torture" four times
  oneTorture: string; // allegation at latinAlias, "torture" once
  denial: string; // statement at cyrillicSizo: "torture in the basement"
  scattered: string; // source with the words of that phrase, not adjacent
  victimAllegation: string;
  reposts: string[]; // two sources with the same text: equal scores
}

async function buildWorld(svc: Services): Promise<World> {
  const cyrillicSizo = await makeFacility(svc, {
    externalId: 'fac-cyr',
    name: 'Almaty remand centre',
    aliases: ['СИЗО ЛА-155/18'],
    city: 'Almaty',
  });
  const latinAlias = await makeFacility(svc, {
    externalId: 'fac-lat',
    name: 'Remand centre of the south',
    aliases: ['LA-155/18'],
  });
  const ivs = await makeFacility(svc, {
    name: 'Shymkent temporary detention isolator',
    kind: 'temporary_detention_isolator',
    aliases: ['ИВС Шымкент'],
  });

  const basement = await makeAllegation(svc, {
    title: 'Detainees beaten in a basement',
    summary: 'Родственники задержанных рассказали про пытки в подвале изолятора.',
    facilityId: cyrillicSizo,
    period: { start: '2022-01-12', precision: 'day' },
    acts: [{ kind: 'beating' }],
  });
  const manyTorture = await makeAllegation(svc, {
    title: 'Torture during interrogation',
    summary: 'Torture with electric shocks; torture to force a confession; torture again the next night.',
    facilityId: latinAlias,
    period: { start: '2022-01-20', precision: 'day' },
    acts: [{ kind: 'electric_shock' }],
  });
  const oneTorture = await makeAllegation(svc, {
    title: 'Conditions in cell 12',
    summary: 'An overcrowded cell without heating; one detainee spoke of torture by the guards.',
    facilityId: latinAlias,
    period: { start: '2021-11-03', precision: 'day' },
    acts: [{ kind: 'inhuman_conditions' }],
  });
  await classify(svc, manyTorture, 'torture');
  await classify(svc, oneTorture, 'cidt');
  await advanceAllegation(svc, oneTorture, 'triage');

  const article = await makeSource(svc, { title: 'Ministry statement on the remand centre', publishedAt: '2022-02' });
  const denial = await makeStatement(svc, {
    sourceId: article,
    speakerLabel: 'Ministry press service',
    stance: 'denial',
    statedOn: '2022-02',
    gist: 'The ministry denies torture in the basement of the remand centre.',
    facilityId: cyrillicSizo,
  });
  const scattered = await makeSource(svc, {
    title: 'In the basement, relatives say, the worst was torture',
    kind: 'social_media_post',
    publishedAt: '2022-01',
  });

  const victim = await makePerson(svc, {
    roles: ['victim'],
    identity: { name: 'Aigerim Zhaksylykova', birthDate: '1990-05-01' },
    custody: 'in_custody',
  });
  const victimAllegation = await makeAllegation(svc, {
    title: 'Threats against a detainee',
    summary: 'Threats to the family of the detainee.',
    victims: [{ personId: victim }],
    facilityId: ivs,
    acts: [{ kind: 'threats', victimId: victim }],
  });
  const reposts = [
    await makeSource(svc, {
      title: 'Repost: beatings in cell seven',
      kind: 'social_media_post',
      publishedAt: '2022-01',
    }),
    await makeSource(svc, {
      title: 'Repost: beatings in cell seven',
      kind: 'social_media_post',
      publishedAt: '2022-01',
    }),
  ];
  return {
    cyrillicSizo,
    latinAlias,
    ivs,
    basement,
    manyTorture,
    oneTorture,
    denial,
    scattered,
    victimAllegation,
    reposts,
  };
}

const ids = (r: SearchResponse) => r.results.map((x) => x.entityId);
const facet = (r: SearchResponse, dim: keyof SearchResponse['facets']) =>
  Object.fromEntries(r.facets[dim].map((e) => [e.value, e.count]));

describeEachDialect('search service', (dialect) => {
  let svc: Services;
  let dispose: () => Promise<void>;
  let w: World;

  beforeAll(async () => {
    ({ svc, dispose } = await openTestServices(dialect));
    w = await buildWorld(svc);
  });
  afterAll(async () => dispose());

  it('finds Russian inflections: пытка finds пытки, with the match marked in the snippet', async () => {
    const r = await search(svc, { q: 'пытка' }, SYSTEM);
    expect(ids(r)).toEqual([w.basement]);
    expect(r.total).toBe(1);
    expect(r.results[0]).toMatchObject({ entityType: 'allegation', title: 'Detainees beaten in a basement' });
    expect(r.results[0]!.snippet).toContain('«пытки»');
    expect(r.results[0]!.score).toBeGreaterThan(0);
  });

  it('finds English inflections: tortured finds torture', async () => {
    const r = await search(svc, { q: 'tortured' }, SYSTEM);
    expect(new Set(ids(r))).toEqual(new Set([w.manyTorture, w.oneTorture, w.denial, w.scattered]));
    expect(r.results.find((x) => x.entityId === w.denial)!.snippet).toContain('«torture»');
  });

  it('finds across scripts: SIZO finds a facility aliased СИЗО …', async () => {
    const r = await search(svc, { q: 'SIZO' }, SYSTEM);
    expect(ids(r)).toEqual([w.cyrillicSizo]);
    expect(r.results[0]).toMatchObject({ entityType: 'facility', title: 'Almaty remand centre' });
    expect(r.results[0]!.snippet).toContain('«СИЗО»');
  });

  it('finds LA-155/18 under ЛА-155/18 and the other way round', async () => {
    const latin = await search(svc, { q: 'LA-155/18', types: ['facility'] }, SYSTEM);
    const cyrillic = await search(svc, { q: 'ЛА-155/18', types: ['facility'] }, SYSTEM);
    expect(new Set(ids(latin))).toEqual(new Set([w.cyrillicSizo, w.latinAlias]));
    expect(new Set(ids(cyrillic))).toEqual(new Set([w.cyrillicSizo, w.latinAlias]));
    expect(latin.results.find((x) => x.entityId === w.cyrillicSizo)!.snippet).toContain('«ЛА-155/18»');
    expect(cyrillic.results.find((x) => x.entityId === w.latinAlias)!.snippet).toContain('«LA-155/18»');
    // other numbers do not match: every word of the query is required
    expect((await search(svc, { q: 'LA-155/1' }, SYSTEM)).total).toBe(0);
  });

  it('ranks a document with more occurrences of the query words first', async () => {
    const r = await search(svc, { q: 'torture', types: ['allegation'] }, SYSTEM);
    expect(ids(r)).toEqual([w.manyTorture, w.oneTorture]);
    expect(r.results[0]!.score).toBeGreaterThan(r.results[1]!.score);
  });

  it('breaks ties by entity id', async () => {
    const r = await search(svc, { q: 'repost seven' }, SYSTEM);
    expect(ids(r)).toEqual([...w.reposts].sort());
    expect(r.results[0]!.score).toBe(r.results[1]!.score);
  });

  it('requires every word (AND) and matches any form of each (OR)', async () => {
    expect(ids(await search(svc, { q: 'torture basement' }, SYSTEM)).sort()).toEqual([w.denial, w.scattered].sort());
    expect((await search(svc, { q: 'torture unicorn' }, SYSTEM)).total).toBe(0);
  });

  it('matches quoted phrases only as consecutive words', async () => {
    const loose = await search(svc, { q: 'torture in the basement' }, SYSTEM);
    expect(new Set(ids(loose))).toEqual(new Set([w.denial, w.scattered]));
    const phrase = await search(svc, { q: '"torture in the basement"' }, SYSTEM);
    expect(ids(phrase)).toEqual([w.denial]);
    expect(phrase.total).toBe(1);
    expect(phrase.facets.type).toEqual([{ value: 'statement', label: 'Statement', count: 1 }]);
    expect(phrase.results[0]!.snippet).toContain('«torture»');
    expect((await search(svc, { q: '«basement the in torture»' }, SYSTEM)).total).toBe(0);
  });

  it('counts facets over the whole match set, not the page', async () => {
    const r = await search(svc, { q: 'torture', limit: 1 }, SYSTEM);
    expect(r.total).toBe(4);
    expect(r.results).toHaveLength(1);
    expect(facet(r, 'type')).toEqual({ allegation: 2, statement: 1, source: 1 });
    expect(r.facets.facility).toEqual([
      { value: w.latinAlias, label: 'Remand centre of the south', count: 2 },
      { value: w.cyrillicSizo, label: 'Almaty remand centre', count: 1 },
    ]);
    expect(facet(r, 'classification')).toEqual({ torture: 1, cidt: 1 });
    expect(r.facets.classification.find((e) => e.value === 'cidt')!.label).toBe(
      'Cruel, inhuman or degrading treatment',
    );
    expect(facet(r, 'status')).toEqual({ received: 1, triage: 1, denial: 1, social_media_post: 1 });
    expect(facet(r, 'year')).toEqual({ '2022': 3, '2021': 1 });
  });

  it('narrows with filters; each facet ignores only its own filter', async () => {
    const byFacility = await search(svc, { q: 'torture', facilityId: w.latinAlias }, SYSTEM);
    expect(new Set(ids(byFacility))).toEqual(new Set([w.manyTorture, w.oneTorture]));
    expect(byFacility.total).toBe(2);
    expect(facet(byFacility, 'facility')).toEqual({ [w.latinAlias]: 2, [w.cyrillicSizo]: 1 });
    expect(facet(byFacility, 'type')).toEqual({ allegation: 2 });

    expect(ids(await search(svc, { q: 'torture', facilityId: 'fac-lat', classification: 'torture' }, SYSTEM))).toEqual([
      w.manyTorture,
    ]);
    expect(ids(await search(svc, { q: 'torture', status: 'triage' }, SYSTEM))).toEqual([w.oneTorture]);
    expect(ids(await search(svc, { q: 'torture', year: 2021 }, SYSTEM))).toEqual([w.oneTorture]);
    expect(ids(await search(svc, { q: 'torture', types: 'statement' }, SYSTEM))).toEqual([w.denial]);
    const two = await search(svc, { q: 'torture', types: ['statement', 'source'] }, SYSTEM);
    expect(new Set(ids(two))).toEqual(new Set([w.denial, w.scattered]));
    expect(facet(two, 'type')).toEqual({ allegation: 2, statement: 1, source: 1 });
  });

  it('pages with limit and offset over a stable order', async () => {
    const all = await search(svc, { q: 'torture' }, SYSTEM);
    const second = await search(svc, { q: 'torture', limit: 2, offset: 2 }, SYSTEM);
    expect(second.total).toBe(all.total);
    expect(ids(second)).toEqual(ids(all).slice(2, 4));
    expect((await search(svc, { q: 'torture', offset: 50 }, SYSTEM)).results).toEqual([]);
  });

  it('never finds a person by their identity', async () => {
    for (const q of ['Aigerim Zhaksylykova', 'Zhaksylykova', 'Aigerim', '"Aigerim Zhaksylykova"', 'Айгерим']) {
      const r = await search(svc, { q }, SYSTEM);
      expect(r.total, q).toBe(0);
      expect(r.results, q).toEqual([]);
    }
    // the allegation itself is found by its own words, without the name
    const r = await search(svc, { q: 'threats detainee' }, SYSTEM);
    expect(ids(r)).toEqual([w.victimAllegation]);
    expect(JSON.stringify(r)).not.toMatch(/Aigerim|Zhaksylykova/);
  });

  it('returns no results for an empty query, with facets over the whole index', async () => {
    for (const q of ['', '   ', '!!! — ///']) {
      const r = await search(svc, { q }, SYSTEM);
      expect(r).toMatchObject({ total: 0, results: [], emptyQuery: true });
      expect(facet(r, 'type')).toEqual({ facility: 3, allegation: 4, statement: 1, source: 4 });
    }
    const r = await search(svc, {}, SYSTEM);
    expect(facet(r, 'facility')[w.latinAlias]).toBe(3); // the facility itself and its two allegations
    const filtered = await search(svc, { types: ['allegation'] }, SYSTEM);
    expect(facet(filtered, 'classification')).toEqual({ torture: 1, cidt: 1, undetermined: 2 });
  });

  it('refuses bad input with validation.invalid and the field path', async () => {
    const cases: [unknown, string][] = [
      [{ q: 'x', limit: 0 }, 'limit'],
      [{ q: 'x', limit: 101 }, 'limit'],
      [{ q: 'x', offset: -1 }, 'offset'],
      [{ q: 'x', types: ['person'] }, 'types'],
      [{ q: 'x', year: 'soon' }, 'year'],
      [{ q: 1 }, 'q'],
      [{ q: 'x', sort: 'date' }, '(root)'],
    ];
    for (const [input, path] of cases) {
      const err = await search(svc, input, SYSTEM).catch((e: unknown) => e);
      expect(isVigilError(err, 'validation.invalid'), JSON.stringify(input)).toBe(true);
      expect(
        (err as { path: string }).path.startsWith(path),
        `${JSON.stringify(input)} → ${(err as { path: string }).path}`,
      ).toBe(true);
    }
    const missing = await search(svc, { q: 'x', facilityId: 'no-such-facility' }, SYSTEM).catch((e: unknown) => e);
    expect(isVigilError(missing, 'reference.missing')).toBe(true);
    expect((await search(svc, { q: 'torture', limit: '2' }, SYSTEM)).results).toHaveLength(2);
  });
});

describe('search engine expressions', () => {
  it('quotes every term and nests OR groups inside AND; a term of four letters or more matches as a prefix too', () => {
    expect(fts5Expression([['pytk', 'pytka'], ['siz'], ['1551']])).toBe(
      '("pytk" OR "pytk"* OR "pytka" OR "pytka"*) AND ("siz") AND ("1551")',
    );
    expect(tsqueryExpression([['pytk', 'pytka'], ['siz'], ['1551']])).toBe(
      '(pytk | pytk:* | pytka | pytka:*) & (siz) & (1551)',
    );
  });

  it('refuses anything that is not a pre-processed term', () => {
    for (const bad of ['a"b', "a'b", 'a b', 'A', 'a|b', '']) {
      expect(() => fts5Expression([[bad]])).toThrow();
      expect(() => tsqueryExpression([[bad]])).toThrow();
    }
  });
});

describe('search agrees across dialects', () => {
  const worlds: { svc: Services; dispose(): Promise<void>; w: World }[] = [];

  beforeEach(async () => {
    for (const dialect of TEST_DIALECTS) {
      let n = 0;
      const t = await openTestServices(dialect, { newId: () => `id-${String(++n).padStart(4, '0')}` });
      worlds.push({ ...t, w: await buildWorld(t.svc) });
    }
  });
  afterEach(async () => {
    for (const x of worlds.splice(0)) await x.dispose();
  });

  it('gives the same totals, results and facets on SQLite and PostgreSQL', async () => {
    const queries = [
      { q: 'torture' },
      { q: 'пытка' },
      { q: 'SIZO' },
      { q: 'LA-155/18' },
      { q: 'ЛА-155/18' },
      { q: 'the' },
      { q: 'remand centre' },
      { q: '"torture in the basement"' },
      { q: '' },
      { q: 'torture', facilityId: 'fac-lat' },
      { q: 'detainee', types: ['allegation'] },
      { q: 'the', status: 'received', limit: 100 },
    ];
    // bm25 and ts_rank are different formulas: the matches, totals and facets are the same, the
    // order of documents the two formulas weigh differently (e.g. by length) may differ.
    const unordered = (r: SearchResponse) => ({
      ...r,
      results: r.results.map(({ score: _score, ...rest }) => rest).sort((x, y) => (x.entityId < y.entityId ? -1 : 1)),
    });
    for (const q of queries) {
      const [a, b] = await Promise.all(worlds.map((x) => search(x.svc, q, SYSTEM)));
      expect(unordered(b!), JSON.stringify(q)).toEqual(unordered(a!));
    }
  });

  it('orders clear relevance differences and ties alike', async () => {
    for (const q of [{ q: 'torture', types: ['allegation'] }, { q: 'repost' }, { q: 'threats' }]) {
      const [a, b] = await Promise.all(worlds.map((x) => search(x.svc, q, SYSTEM)));
      expect(ids(b!), JSON.stringify(q)).toEqual(ids(a!));
    }
  });
});

describeEachDialect('search by the beginning of a word', (dialect) => {
  let svc: Services;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ svc, dispose } = await openTestServices(dialect));
  });
  afterEach(async () => dispose());

  it('finds «полуподвальном» for «полуподвал», ranked below the word itself; short terms and numbers stay exact', async () => {
    const inflected = await makeSource(svc, { title: 'Задержанных держали в полуподвальном помещении' });
    const exact = await makeSource(svc, { title: 'Комната в полуподвал изолятора' });
    await makeSource(svc, { title: 'Камера 1550 на втором этаже' });
    expect(ids(await search(svc, { q: 'полуподвал' }, SYSTEM))).toEqual([exact, inflected]);
    expect(ids(await search(svc, { q: 'полуподв' }, SYSTEM)).sort()).toEqual([exact, inflected].sort());
    // A number is matched whole: 155 does not find 1550.
    expect(ids(await search(svc, { q: '155' }, SYSTEM))).toEqual([]);
  });
});
