/**
 * Known entities are matched, not duplicated: before an accepted fact creates a facility,
 * organization, person or area, the records that already name it are looked up. Matching is
 * exact on a folded key (script, case, punctuation), never fuzzy: a wrong link is worse than a
 * second record a person can merge, and an ambiguous match is left to the reviewer.
 */
import type { Transaction } from 'kysely';
import { cyrillicToLatin, normalizeNameKey } from '../domain/text/index.ts';
import { resolveOrganization } from '../extract/organizations.ts';
import {
  listAreaLabels,
  listFacilityNames,
  listOrganizationNames,
  type FacilityNames,
} from '../store/repositories/facility.repository.ts';
import { findPeopleByNameIndex, listPublicNames } from '../store/repositories/person.repository.ts';
import { findSourceIdByUrl } from '../store/repositories/source.repository.ts';
import type { Database } from '../store/schema.ts';
import type { Services } from './context.ts';
import { readable, type Viewer } from './policy.ts';
import { nameIndexOf } from './person.service.ts';

type Trx = Transaction<Database>;

/** A folded key: Latin script, lower case, letters and digits only ("ЛА-155/18" = "la15518" = "LA 155/18"). */
export function foldKey(s: string): string {
  return cyrillicToLatin(s.normalize('NFKC'))
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** A facility code as a key, without a leading number sign ("№1" = "1"). */
function codeKey(code: string): string {
  return foldKey(code.replace(/^\s*(?:№|No\.?|N)\s*/i, ''));
}

/** Words folded and stripped of a plural `s`, so "secure (regime) buildings" = "secure regime building". */
function labelKey(s: string): string {
  return cyrillicToLatin(s.normalize('NFKC'))
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '')
    .map((w) => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w))
    .join(' ');
}

/**
 * Facilities an extracted facility names. A code like `LA-155/18` is specific: it matches the
 * code or an alias. A bare number (`СИЗО №1`) exists in many cities, so it matches only a
 * facility of the same kind in the same city. Without a code, the words must equal the name,
 * the Russian name or an alias.
 */
export async function matchFacility(
  trx: Trx,
  f: { text: string; code: string | null; kind: string; city: string | null },
): Promise<string[]> {
  const rows = await listFacilityNames(trx);
  const names = (r: FacilityNames) => [r.name, r.nameRu, ...r.aliases].filter((s): s is string => !!s);
  if (f.code) {
    const key = codeKey(f.code);
    const numeric = /^\d+$/.test(key);
    const hits = rows.filter((r) => {
      const own = [r.code, ...(numeric ? [] : names(r))].filter((s): s is string => !!s).map(codeKey);
      if (!own.includes(key)) return false;
      if (!numeric) return true;
      return r.kind === f.kind && f.city !== null && r.city !== null && foldKey(r.city) === foldKey(f.city);
    });
    if (hits.length > 0) return hits.map((r) => r.id);
  }
  const key = foldKey(f.text);
  return rows.filter((r) => names(r).some((n) => foldKey(n) === key)).map((r) => r.id);
}

/**
 * Organizations an extracted body names: its name or words equal to a recorded name, Russian name
 * or alias; or both resolve to the same body of the gazetteer ("Ministry of Internal Affairs" and
 * "МВД РК" are both `mvd_kz`).
 */
export async function matchOrganization(
  trx: Trx,
  o: { name: string; text: string; canonical: string | null },
): Promise<string[]> {
  const rows = await listOrganizationNames(trx);
  const keys = new Set([foldKey(o.name), foldKey(o.text)]);
  const canonical = o.canonical ?? resolveOrganization(o.name)?.id ?? null;
  return rows
    .filter((r) => {
      const names = [r.name, r.nameRu, ...r.aliases].filter((s): s is string => !!s);
      if (names.some((n) => keys.has(foldKey(n)))) return true;
      return canonical !== null && names.some((n) => resolveOrganization(n)?.id === canonical);
    })
    .map((r) => r.id);
}

/**
 * People an extracted name refers to: by the blind index of the sealed name (any script or word
 * order, nothing decrypted), or by the public name of an official. Only people `viewer` may see
 * are matched: a person of a case outside their teams is not there for them (a match, or "2
 * records match", would tell them the name is in a hidden case).
 */
export async function matchPerson(svc: Services, trx: Trx, name: string, viewer: Viewer): Promise<string[]> {
  const ids = new Set<string>();
  const index = nameIndexOf(svc.keyring, name);
  if (index) for (const id of await findPeopleByNameIndex(trx, index)) ids.add(id);
  const key = normalizeNameKey(name);
  if (key) {
    for (const p of await listPublicNames(trx)) if (normalizeNameKey(p.publicName) === key) ids.add(p.id);
  }
  return readable(trx, viewer, 'person', [...ids], (id) => id);
}

/** Areas of a facility with this label (or Russian label), plural or singular. */
export async function matchArea(trx: Trx, facilityId: string, label: string): Promise<string[]> {
  const rows = await listAreaLabels(trx, facilityId);
  const key = labelKey(label);
  return rows
    .filter((r) => labelKey(r.label) === key || (r.labelRu !== null && labelKey(r.labelRu) === key))
    .map((r) => r.id);
}

/** A source already recorded for this address. */
export async function matchSourceByUrl(trx: Trx, url: string): Promise<string | undefined> {
  return findSourceIdByUrl(trx, url);
}
