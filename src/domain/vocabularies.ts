/**
 * Every controlled vocabulary of domain.md section 2, one import away. The lists live in
 * topic files to stay readable; this module is their public face and the catalogue the API serves.
 */
import {
  ACT_GROUPS,
  ACT_KINDS,
  CAT_INTENTS,
  CAT_OFFICIAL_LINKS,
  CAT_PURPOSES,
  CAT_SEVERITIES,
  CLASSIFICATIONS,
  CONSENT_SCOPES,
  CONSISTENCY_LEVELS,
  CUSTODY_STATES,
  PERPETRATOR_KINDS,
  RISK_LEVELS,
  SENSITIVITIES,
  VERIFICATION_STATUSES,
} from './vocabularies-allegation.ts';
import {
  AREA_LEVELS,
  FACILITY_KINDS,
  RECOMMENDATION_STATUSES,
  SAFEGUARD_ANSWERS,
  SAFEGUARD_CHECKS,
  VISIT_MODES,
  VISIT_STATUSES,
  VISIT_TYPES,
} from './vocabularies-monitoring.ts';
import { DATE_PRECISIONS, ORGANIZATION_KINDS, PERSON_ROLES, USER_ROLES } from './vocabularies-people.ts';
import {
  DECIDED_BY,
  INQUIRY_OUTCOMES,
  PROCEEDING_KINDS,
  PROCEEDING_STAGES,
  REFUSAL_KINDS,
  TERMINATION_GROUNDS,
  VERDICT_OUTCOMES,
} from './vocabularies-proceedings.ts';
import {
  CREDIBILITY,
  RELIABILITY,
  REVIEW_RATINGS,
  SOURCE_KINDS,
  SOURCE_RELATIONS,
  STATEMENT_STANCES,
} from './vocabularies-sources.ts';

export * from './vocabularies-allegation.ts';
export * from './vocabularies-monitoring.ts';
export * from './vocabularies-people.ts';
export * from './vocabularies-proceedings.ts';
export * from './vocabularies-sources.ts';

/** Every vocabulary by its snake_case name, as served to clients (names are as stable as ids). */
export const VOCABULARIES = {
  facility_kind: FACILITY_KINDS,
  area_level: AREA_LEVELS,
  act_group: ACT_GROUPS,
  act_kind: ACT_KINDS,
  perpetrator_kind: PERPETRATOR_KINDS,
  source_kind: SOURCE_KINDS,
  source_relation: SOURCE_RELATIONS,
  reliability: RELIABILITY,
  credibility: CREDIBILITY,
  consistency_level: CONSISTENCY_LEVELS,
  classification: CLASSIFICATIONS,
  cat_severity: CAT_SEVERITIES,
  cat_intent: CAT_INTENTS,
  cat_purpose: CAT_PURPOSES,
  cat_official_link: CAT_OFFICIAL_LINKS,
  statement_stance: STATEMENT_STANCES,
  review_rating: REVIEW_RATINGS,
  consent_scope: CONSENT_SCOPES,
  sensitivity: SENSITIVITIES,
  risk_level: RISK_LEVELS,
  custody_state: CUSTODY_STATES,
  verification_status: VERIFICATION_STATUSES,
  proceeding_kind: PROCEEDING_KINDS,
  proceeding_stage: PROCEEDING_STAGES,
  inquiry_outcome: INQUIRY_OUTCOMES,
  refusal_kind: REFUSAL_KINDS,
  termination_ground: TERMINATION_GROUNDS,
  verdict_outcome: VERDICT_OUTCOMES,
  decided_by: DECIDED_BY,
  visit_status: VISIT_STATUSES,
  visit_type: VISIT_TYPES,
  visit_mode: VISIT_MODES,
  safeguard_check: SAFEGUARD_CHECKS,
  safeguard_answer: SAFEGUARD_ANSWERS,
  recommendation_status: RECOMMENDATION_STATUSES,
  organization_kind: ORGANIZATION_KINDS,
  person_role: PERSON_ROLES,
  date_precision: DATE_PRECISIONS,
  user_role: USER_ROLES,
} as const;

/** A vocabulary's name in `VOCABULARIES`. */
export type VocabularyName = keyof typeof VOCABULARIES;
