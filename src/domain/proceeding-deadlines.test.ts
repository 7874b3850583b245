import { describe, expect, it } from 'vitest';
import { overdueProceeding, PROCEEDING_DEADLINES, reachedErdr, type StageRecord } from './proceeding-deadlines.ts';

const at = (iso: string) => new Date(iso);

describe('PROCEEDING_DEADLINES', () => {
  it('holds the four rules of domain.md 3.2, none verified', () => {
    expect(PROCEEDING_DEADLINES.map((r) => r.id)).toEqual([
      'erdr_registration',
      'pretrial_term',
      'appeal_window',
      'authority_reply',
    ]);
    expect(PROCEEDING_DEADLINES.every((r) => r.verified === false)).toBe(true);
  });
});

describe('overdueProceeding', () => {
  const filed: StageRecord[] = [{ stage: 'complaint_filed', onDate: '2022-01-10' }];

  it('has nothing to say before any stage', () => {
    expect(overdueProceeding([], at('2022-01-10T00:00:00Z'))).toEqual({ overdue: false });
  });

  it('counts 24 hours for registration from the end of the filing day', () => {
    expect(overdueProceeding(filed, at('2022-01-11T23:59:59Z'))).toEqual({
      overdue: false,
      rule: 'erdr_registration',
      due: '2022-01-12T00:00:00.000Z',
    });
    expect(overdueProceeding(filed, at('2022-01-12T00:00:00Z'))).toMatchObject({
      overdue: true,
      rule: 'erdr_registration',
    });
  });

  it('counts from the exact instant when the date has a time', () => {
    const stages: StageRecord[] = [{ stage: 'complaint_filed', onDate: '2022-01-10T09:00:00+06:00' }];
    expect(overdueProceeding(stages, at('2022-01-11T03:00:00Z'))).toEqual({
      overdue: true,
      rule: 'erdr_registration',
      due: '2022-01-11T03:00:00.000Z',
    });
  });

  it('reports the 30-day reply rule once it too has lapsed', () => {
    expect(overdueProceeding(filed, at('2022-02-10T00:00:00Z'))).toEqual({
      overdue: true,
      rule: 'authority_reply',
      due: '2022-02-10T00:00:00.000Z',
    });
    expect(overdueProceeding(filed, at('2022-02-09T23:00:00Z'))).toMatchObject({
      overdue: true,
      rule: 'erdr_registration',
    });
  });

  it('stops the registration clocks once registration is decided', () => {
    const refused: StageRecord[] = [...filed, { stage: 'registration_refused', onDate: '2022-01-11' }];
    expect(overdueProceeding(refused, at('2023-01-01T00:00:00Z'))).toEqual({ overdue: false });
  });

  it('restarts the clocks on a re-filed complaint', () => {
    const refiled: StageRecord[] = [
      ...filed,
      { stage: 'registration_refused', onDate: '2022-01-11' },
      { stage: 'complaint_filed', onDate: '2022-03-01' },
    ];
    expect(overdueProceeding(refiled, at('2022-03-03T00:00:00Z'))).toMatchObject({
      overdue: true,
      rule: 'erdr_registration',
      due: '2022-03-03T00:00:00.000Z',
    });
  });

  it('runs the two-month pre-trial term from registration, through the investigation stage', () => {
    const open: StageRecord[] = [
      ...filed,
      { stage: 'registered_erdr', onDate: '2022-01-31' },
      { stage: 'pre_trial_investigation', onDate: '2022-02-01' },
    ];
    // End of 31 January is 1 February 00:00; two months on is 1 April.
    expect(overdueProceeding(open, at('2022-03-31T23:00:00Z'))).toEqual({
      overdue: false,
      rule: 'pretrial_term',
      due: '2022-04-01T00:00:00.000Z',
    });
    expect(overdueProceeding(open, at('2022-04-01T00:00:00Z'))).toMatchObject({ overdue: true, rule: 'pretrial_term' });
    const sent = [...open, { stage: 'indictment_sent', onDate: '2022-03-15' } as const];
    expect(overdueProceeding(sent, at('2022-06-01T00:00:00Z'))).toEqual({ overdue: false });
  });

  it('gives 15 days after a verdict', () => {
    const verdict: StageRecord[] = [{ stage: 'verdict', onDate: '2022-05-01' }];
    expect(overdueProceeding(verdict, at('2022-05-16T23:59:59Z'))).toMatchObject({
      overdue: false,
      rule: 'appeal_window',
    });
    expect(overdueProceeding(verdict, at('2022-05-17T00:00:00Z'))).toEqual({
      overdue: true,
      rule: 'appeal_window',
      due: '2022-05-17T00:00:00.000Z',
    });
    expect(
      overdueProceeding([...verdict, { stage: 'final', onDate: '2022-05-20' }], at('2022-06-01T00:00:00Z')),
    ).toEqual({ overdue: false });
  });

  it('has no deadline for an internal inquiry', () => {
    expect(overdueProceeding([{ stage: 'opened', onDate: '2020-01-01' }], at('2024-01-01T00:00:00Z'))).toEqual({
      overdue: false,
    });
  });
});

describe('reachedErdr', () => {
  it('is true only for a criminal case that was registered, whatever happened next', () => {
    const stages: StageRecord[] = [
      { stage: 'complaint_filed', onDate: '2022-01-10' },
      { stage: 'registered_erdr', onDate: '2022-01-11' },
      { stage: 'pre_trial_investigation', onDate: '2022-01-12' },
      { stage: 'terminated', onDate: '2022-03-01' },
    ];
    expect(reachedErdr({ kind: 'criminal_case', stages })).toBe(true);
    expect(reachedErdr({ kind: 'criminal_case', stages: stages.slice(0, 1) })).toBe(false);
    expect(reachedErdr({ kind: 'criminal_case', stages: [] })).toBe(false);
  });

  it('never counts an inquiry, even one whose stages claim registration', () => {
    expect(
      reachedErdr({
        kind: 'internal_inquiry',
        stages: [
          { stage: 'opened', onDate: '2022-01-10' },
          { stage: 'concluded', onDate: '2022-02-10' },
        ],
      }),
    ).toBe(false);
    expect(
      reachedErdr({ kind: 'internal_inquiry', stages: [{ stage: 'registered_erdr', onDate: '2022-01-11' }] }),
    ).toBe(false);
  });
});
