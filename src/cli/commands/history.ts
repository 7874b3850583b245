import { VigilError } from '../../domain/errors.ts';
import type { Actor, Services } from '../../services/context.ts';
import { historyOfKey, type HistoryEntry } from '../../services/history.service.ts';

/**
 * The history `vigil history ID` prints: an allegation's (id or external id) as its page shows it,
 * with its team, proceedings, evidence and the people it names; any other record's with its parts.
 */
export async function historyCommand(svc: Services, actor: Actor, id: string): Promise<HistoryEntry[]> {
  const entries = await historyOfKey(svc, actor, id);
  if (entries.length === 0) throw new VigilError('record.not_found', `no history for ${id}`, { path: 'id' });
  return entries;
}

/**
 * One entry as lines: `seq, time, who, what, which record[, why]` tab-separated, then one
 * indented line per change, in `lang`.
 */
export function describeHistoryEntry(e: HistoryEntry, lang: 'en' | 'ru'): string[] {
  const head = [
    String(e.seq),
    e.at,
    e.actorLabel[lang],
    e.label[lang],
    `${e.entityType} ${e.entityId}`,
    ...(e.reason ? [e.reason] : []),
  ].join('\t');
  return [head, ...e.details.map((d) => `    ${d[lang]}`)];
}
