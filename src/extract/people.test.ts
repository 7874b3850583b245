import { describe, expect, it } from 'vitest';
import { extractPeople } from './people.ts';

describe('extractPeople', () => {
  it('takes the role from an apposition', () => {
    expect(
      extractPeople(
        'So, Nurdilda Oraz, adviser to the minister and official representative of the Ministry, said at a briefing',
      ).map((p) => [p.name, p.role]),
    ).toEqual([['Nurdilda Oraz', 'adviser to the minister and official representative of the Ministry']]);
  });
  it('takes the role from the words before the name', () => {
    expect(
      extractPeople('Об этом сообщил заместитель начальника 1 Службы Генеральной прокуратуры Елдос Килымжанов.').map(
        (p) => [p.name, p.role],
      ),
    ).toEqual([['Елдос Килымжанов', 'заместитель начальника 1 Службы Генеральной прокуратуры']]);
    expect(extractPeople('as the head of the police department Sagat Madiyev said').map((p) => p.role)).toEqual([
      'head of the police department',
    ]);
  });
  it('joins case forms of one name and ignores places', () => {
    const people = extractPeople(
      'Ризабек Ожаров сказал. По словам Ризабека Ожарова, в селе Ынтымак Сауранского района …',
    );
    expect(people.map((p) => p.name)).toEqual(['Ризабек Ожаров']);
  });
});
