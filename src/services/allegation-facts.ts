import type { Transaction } from 'kysely';
import type { AllegationFacts } from '../domain/allegation-workflow.ts';
import type { ConsentScope } from '../domain/vocabularies.ts';
import { guardInputsOf } from '../store/repositories/allegation.repository.ts';
import type { Database } from '../store/schema.ts';

const PUBLIC_SOURCE_KINDS = new Set(['news_article', 'official_statement', 'social_media_post', 'ngo_report']);

/** Where a source came from, so two links to the same outlet or account count once. */
function originOf(s: { id: string; url: string | null; outlet: string | null; handle: string | null }): string {
  if (s.url) {
    try {
      return new URL(s.url).host.replace(/^www\./, '');
    } catch {
      /* fall through */
    }
  }
  return s.outlet ?? s.handle ?? s.id;
}

/**
 * What the verification guards read (domain.md 3.1), derived from the stored allegation, its
 * sources, acts and victims at this moment, inside the transaction that will write the step.
 * `request` carries what the step itself supplies (a new risk assessment, the duplicate's target).
 */
export async function allegationFacts(
  trx: Transaction<Database>,
  allegation: { id: string; consent: string },
  request: { risk?: string; duplicateOf?: string },
): Promise<AllegationFacts> {
  const { links, victims, actCount } = await guardInputsOf(trx, allegation.id);
  const supporting = links.filter((l) => l.relation !== 'contradicts');
  const reportingOrigins = new Set(links.filter((l) => l.relation === 'reports').map(originOf));
  const independentCorroboration = links.some(
    (l) => l.relation === 'corroborates' && !reportingOrigins.has(originOf(l)),
  );
  return {
    consentScopes: JSON.parse(allegation.consent) as ConsentScope[],
    onlyPublicSources: links.length > 0 && links.every((l) => PUBLIC_SOURCE_KINDS.has(l.kind)),
    riskAssessed: request.risk !== undefined,
    independentSourceCount: new Set(supporting.map(originOf)).size,
    independentlyBackedActCount: independentCorroboration ? actCount : 0,
    hasContradictingSource: links.some((l) => l.relation === 'contradicts'),
    ...(request.duplicateOf !== undefined ? { duplicateOf: request.duplicateOf } : {}),
    victimInCustodyAtRisk: victims.some(
      (v) => v.custody === 'in_custody' && (v.risk === 'high' || v.risk === 'critical'),
    ),
  };
}
