import { describe, expect, it } from 'vitest';
import { extractOrganizations, resolveOrganization } from './organizations.ts';
import { extractPlaces, resolvePlace } from './places.ts';

describe('places', () => {
  it('finds places in any case form and spelling, by canonical name', () => {
    expect(extractPlaces('в Казахстане, в Алматы и Талдыкоргане').map((p) => p.name)).toEqual([
      'Kazakhstan',
      'Almaty',
      'Taldykorgan',
    ]);
    expect(extractPlaces('in Nur-Sultan and the East Kazakhstan region').map((p) => [p.name, p.type])).toEqual([
      ['Astana', 'city'],
      ['East Kazakhstan Region', 'region'],
    ]);
    expect(extractPlaces('a resident of the village of Karatuma').map((p) => p.name)).toEqual(['Karatuma']);
  });
  it('resolves names to the gazetteer', () => {
    expect(resolvePlace('Алма-Ата')).toBe('Almaty');
    expect(resolvePlace('Uralsk')).toBe(resolvePlace('Орал'));
    expect(resolvePlace('Atlantis')).toBeNull();
  });
});

describe('organizations', () => {
  it('finds known bodies with their qualifier, English and Russian', () => {
    const orgs = extractOrganizations(
      'The Ministry of Internal Affairs of Kazakhstan said; the Prosecutor’s Office and the Commissioner for human rights visit.',
    );
    expect(orgs.map((o) => [o.name, o.canonical])).toEqual([
      ['Ministry of Internal Affairs of Kazakhstan', 'mvd_kz'],
      ['Prosecutor’s Office', 'prosecutor'],
      ['Commissioner for human rights', 'ombudsman_kz'],
    ]);
    expect(extractOrganizations('сообщили в Генеральной прокуратуре и КНБ').map((o) => o.canonical)).toEqual([
      'gpo_kz',
      'knb_kz',
    ]);
  });
  it('finds departments and courts by pattern', () => {
    expect(
      extractOrganizations('the head of the police department of the East Kazakhstan region said').map((o) => o.name),
    ).toEqual(['police department of the East Kazakhstan region']);
    expect(extractOrganizations('the Taldykorgan City Court sentenced').map((o) => [o.name, o.kind])).toEqual([
      ['Taldykorgan City Court', 'court'],
    ]);
  });
  it('resolves a name only when the alias explains all its words', () => {
    expect(resolveOrganization('Генеральная прокуратура Казахстана')?.id).toBe('gpo_kz');
    expect(resolveOrganization('1 Служба Генеральной прокуратуры')).toBeNull();
  });
});
