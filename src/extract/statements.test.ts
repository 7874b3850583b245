import { describe, expect, it } from 'vitest';
import { extract } from './extract.ts';

const st = (text: string) => extract(text).statements.map((s) => [s.speaker, s.stance]);

describe('statements', () => {
  it('attributes a denial, an allegation and a confirmation (English)', () => {
    expect(
      st(
        'The Ministry of Internal Affairs of Kazakhstan stated that the rumors about a torture room are not true. ' +
          'Relatives of the detainees report on social networks that police officers use torture. ' +
          'At the same time, some of these statements have been confirmed.',
      ),
    ).toEqual([
      ['Ministry of Internal Affairs of Kazakhstan', 'denial'],
      ['relatives of the detainees', 'allegation'],
      ['article author', 'confirmation'],
    ]);
  });
  it('attributes a quotation to the speaker after it and a pronoun to the previous speaker (Russian)', () => {
    const text =
      'Официальный представитель МВД Нурдильда Ораз сообщил, что по 27 сообщениям начато семь досудебных расследований.\n' +
      '«Нарушения, указанные в 19 заявлениях, не подтвердились», — отметил он.';
    expect(st(text)).toEqual([
      ['Нурдильда Ораз', 'confirmation'],
      ['Нурдильда Ораз', 'denial'],
    ]);
  });
  it('gives the accountability figures with speaker and date', () => {
    const e = extract(
      'So, at the end of January, Nurdilda Oraz, adviser to the minister, said at a briefing that 7 pre-trial investigations had been launched on 27 reports of torture; official investigations were being carried out on 20 more facts.',
    );
    expect(e.reported_figures.map((f) => [f.stage, f.value, f.speaker, f.date])).toEqual([
      ['investigations', 7, 'Nurdilda Oraz', 'end of January'],
      ['reports', 27, 'Nurdilda Oraz', 'end of January'],
      ['inquiries', 20, 'Nurdilda Oraz', 'end of January'],
    ]);
    expect(e.accountability_funnel).toEqual({ investigations: 7, reports: 27, inquiries: 20 });
  });
});
