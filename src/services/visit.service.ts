import { transitionVisit } from '../domain/visit-workflow.ts';
import { transitionRecommendation } from '../domain/recommendation-workflow.ts';
import { VisitInput } from '../domain/entities/visit.ts';
import type { AuditedWriter } from '../store/audited-writer.ts';
import { orNull, toJson } from '../store/repositories/json-column.ts';
import { domainActor, type Actor, type Services } from './context.ts';
import { createRecord, type Created } from './record-write.ts';
import { resolveRef } from './references.ts';

/**
 * Plans a monitoring visit (domain.md 3.3) with its team and, when already known, its safeguards
 * answers, findings and recommendations (each `issued` with addressee and deadline, 3.4).
 */
export function createVisit(svc: Services, actor: Actor, input: unknown, writer?: AuditedWriter): Promise<Created> {
  return createRecord(svc, actor, 'visit', VisitInput, input, async (w, d, id) => {
    const facilityId = await resolveRef(w.trx, 'facility', d.facilityId, 'facilityId');
    const monitor = domainActor(actor, 'monitor');
    const { status } = transitionVisit({
      from: null, to: 'planned', actor: monitor,
      visit: { facilityId, visitDate: d.visitDate, visitType: d.visitType, mode: d.mode, team: d.team },
    });
    await w.insert('visit', {
      id, external_id: d.externalId ?? null, facility_id: facilityId, body: d.body, visit_date: d.visitDate,
      visit_type: d.visitType, mode: d.mode, status, team: toJson(d.team), safeguards: toJson(d.safeguards),
      findings: orNull(d.findings), findings_public: orNull(d.findingsPublic), response_due: orNull(d.responseDue),
    });
    for (const [i, r] of d.recommendations.entries()) {
      const rec = transitionRecommendation({ from: null, to: 'issued', actor: monitor, recommendation: { addressee: r.addressee, deadline: r.deadline } });
      await w.insert('recommendation', {
        id: r.id ?? `${id}:r${String(i + 1).padStart(3, '0')}`, external_id: r.externalId ?? null, visit_id: id,
        text: r.text, addressee: r.addressee, deadline: r.deadline, status: rec.status,
      });
    }
  }, { writer });
}
