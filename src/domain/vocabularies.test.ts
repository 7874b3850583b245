import { describe, expect, it } from 'vitest';
import * as vocabularies from './vocabularies.ts';
import { ACT_GROUPS, ACT_KINDS, consistencyAtLeast, VOCABULARIES } from './vocabularies.ts';

// Written out from domain.md, independently of the code: ids are never renamed, reused or dropped.
const EXPECTED_IDS: Record<keyof typeof VOCABULARIES, string> = {
  facility_kind:
    'pretrial_detention temporary_detention_isolator police_station penal_colony prison psychiatric migration military juvenile other',
  area_level: 'site building floor room cell other',
  act_group: 'physical sexual psychological deprivation procedural other',
  act_kind:
    'beating falanga suspension stress_position burning hot_iron electric_shock asphyxiation water_dousing tooth_damage forced_medication ' +
    'rape sexual_violence_other forced_nudity threats mock_execution humiliation sensory_stress forced_witnessing ' +
    'sleep_deprivation food_water_deprivation medical_care_denial isolation inhuman_conditions ' +
    'incommunicado unrecorded_detention lawyer_denied forced_signature reprisal_for_complaint other',
  perpetrator_kind:
    'police penitentiary_staff security_service national_guard armed_forces anti_corruption prosecution medical_staff detainee_instigated other_official unknown',
  source_kind:
    'testimony relative_report lawyer_report social_media_post messenger_post news_article official_statement medical_record procedural_document visit_report ngo_report other',
  source_relation: 'reports corroborates contradicts',
  reliability: 'A B C D E F',
  credibility: '1 2 3 4 5 6',
  consistency_level: 'not_consistent consistent highly_consistent typical diagnostic not_assessed',
  classification: 'torture cidt undetermined',
  cat_severity: 'severe not_severe unknown',
  cat_intent: 'intentional negligent unknown',
  cat_purpose: 'confession_or_information punishment intimidation_or_coercion discrimination other none unknown',
  cat_official_link: 'direct instigation consent_or_acquiescence none unknown',
  statement_stance: 'allegation denial admission confirmation neutral',
  review_rating: 'accurate misleading unsupported contradicted_by_evidence false unverifiable',
  consent_scope: 'record share refer_to_authorities publish_anonymised publish_named photos intimate_images',
  sensitivity: 'public internal confidential restricted',
  risk_level: 'low medium high critical',
  custody_state: 'in_custody released unknown',
  verification_status:
    'received triage consent_safety_check duplicate under_verification corroborated partially_corroborated uncorroborated inconsistent on_hold_safety withdrawn',
  proceeding_kind:
    'criminal_case internal_inquiry prosecutor_check disciplinary civil_claim ombudsman_complaint un_communication',
  proceeding_stage:
    'complaint_filed registered_erdr registration_refused pre_trial_investigation suspended terminated indictment_sent trial verdict appeal final opened concluded',
  inquiry_outcome: 'sanction no_sanction referred_to_criminal',
  refusal_kind: 'refused redirected_to_internal_inquiry no_response',
  termination_ground: 'no_event no_corpus_delicti not_involved insufficient_evidence amnesty_or_limitation other',
  verdict_outcome: 'convicted acquitted reclassified dismissed',
  decided_by: 'investigator procedural_prosecutor investigating_judge court agency',
  visit_status: 'planned conducted cancelled findings_drafted report_sent response_received closed',
  visit_type: 'in_depth thematic ad_hoc follow_up',
  visit_mode: 'announced unannounced',
  safeguard_check:
    'custody_register relative_notified lawyer_from_outset medical_screening injuries_reported rights_in_writing cctv restraint_register confidential_complaints',
  safeguard_answer: 'yes no partial not_checked',
  recommendation_status:
    'issued accepted rejected in_progress reported_implemented implemented_verified not_implemented',
  organization_kind:
    'ministry law_enforcement prosecutor court ombudsman npm public_monitoring ngo un_body media other',
  person_role: 'victim witness alleged_perpetrator official relative source',
  date_precision: 'day month part_of_month year unknown',
  user_role: 'admin analyst documenter monitor viewer',
};

const entries = Object.entries(VOCABULARIES) as [
  keyof typeof VOCABULARIES,
  (typeof VOCABULARIES)[keyof typeof VOCABULARIES],
][];
const pascal = (name: string) => name.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());

describe.each(entries)('vocabulary %s', (name, list) => {
  it('has exactly the ids of domain.md, in order', () => {
    expect(list.map((t) => t.id).join(' ')).toBe(EXPECTED_IDS[name]);
  });

  it('has unique ids', () => {
    expect(new Set(list.map((t) => t.id)).size).toBe(list.length);
  });

  it('has a trimmed English label and a Russian label in Cyrillic for every id', () => {
    for (const term of list) {
      expect(term.en.trim(), term.id).toBe(term.en);
      expect(term.en.length, term.id).toBeGreaterThan(0);
      expect(term.en, term.id).not.toMatch(/[А-яЁё]/);
      expect(term.ru.trim(), term.id).toBe(term.ru);
      expect(term.ru, term.id).toMatch(/[А-яЁё]/);
    }
  });

  it('has a schema that accepts exactly its ids and names itself when refusing', () => {
    const schema = (vocabularies as Record<string, unknown>)[`${pascal(name)}Schema`] as {
      options: string[];
      safeParse: (v: unknown) => { success: boolean; error?: { issues: { message: string }[] } };
    };
    expect(schema, `${pascal(name)}Schema`).toBeDefined();
    expect(schema.options).toEqual(list.map((t) => t.id));
    const refused = schema.safeParse('no_such_id');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/^unknown .+ "no_such_id"; expected one of: /);
  });
});

describe('the catalogue', () => {
  it('holds every vocabulary the module exports', () => {
    const lists = Object.values(vocabularies).filter(
      (v) =>
        Array.isArray(v) &&
        v.length > 0 &&
        v.every((t) => typeof t === 'object' && t !== null && 'id' in t && 'ru' in t),
    );
    const served = new Set<unknown>(Object.values(VOCABULARIES));
    expect(lists.length).toBe(served.size);
    for (const list of lists) expect(served.has(list)).toBe(true);
  });

  it('uses snake_case names', () => {
    for (const name of Object.keys(VOCABULARIES)) expect(name).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });
});

describe('ACT_KINDS', () => {
  it('puts every act in a known group, as domain.md 2.2 does', () => {
    const groups = ACT_GROUPS.map((g) => g.id) as string[];
    for (const act of ACT_KINDS) expect(groups).toContain(act.group);
    const inGroup = (g: string) => ACT_KINDS.filter((a) => a.group === g).map((a) => a.id);
    expect(inGroup('sexual')).toEqual(['rape', 'sexual_violence_other', 'forced_nudity']);
    expect(inGroup('procedural')).toEqual([
      'incommunicado',
      'unrecorded_detention',
      'lawyer_denied',
      'forced_signature',
      'reprisal_for_complaint',
    ]);
    expect(inGroup('other')).toEqual(['other']);
    expect(inGroup('physical')).toHaveLength(11);
  });
});

describe('consistencyAtLeast', () => {
  it('follows the IP order and keeps not_assessed off the scale', () => {
    expect(consistencyAtLeast('highly_consistent', 'highly_consistent')).toBe(true);
    expect(consistencyAtLeast('diagnostic', 'highly_consistent')).toBe(true);
    expect(consistencyAtLeast('typical', 'highly_consistent')).toBe(true);
    expect(consistencyAtLeast('consistent', 'highly_consistent')).toBe(false);
    expect(consistencyAtLeast('not_consistent', 'consistent')).toBe(false);
    expect(consistencyAtLeast('not_assessed', 'not_consistent')).toBe(false);
    expect(consistencyAtLeast(undefined, 'not_consistent')).toBe(false);
  });
});
