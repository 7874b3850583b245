/**
 * SYNTHETIC records for tests: a facility, then for each allegation a victim, a source and the
 * allegation. Names and texts are made up and marked as such; nothing here describes a real person.
 */
function* syntheticLines(allegations: number, prefix = 'syn'): Generator<Record<string, unknown>> {
  yield {
    type: 'facility',
    externalId: `${prefix}:f`,
    name: 'SYNTHETIC facility',
    kind: 'pretrial_detention',
    aliases: ['СИЗО SYNTHETIC'],
  };
  for (let i = 0; i < allegations; i++) {
    yield {
      type: 'person',
      externalId: `${prefix}:p${i}`,
      roles: ['victim'],
      identity: { name: `Synthetic Person ${i}` },
    };
    yield {
      type: 'source',
      externalId: `${prefix}:s${i}`,
      kind: 'relative_report',
      title: `SYNTHETIC report ${i}`,
      content: 'SYNTHETIC: beaten during interrogation, избиение',
    };
    yield {
      type: 'allegation',
      externalId: `${prefix}:a${i}`,
      title: `SYNTHETIC allegation ${i}`,
      facilityId: `${prefix}:f`,
      period: { start: `2022-01-${String((i % 28) + 1).padStart(2, '0')}`, precision: 'day' },
      acts: [{ kind: i % 2 ? 'beating' : 'threats' }],
      victims: [{ personId: `${prefix}:p${i}` }],
      sources: [{ sourceId: `${prefix}:s${i}` }],
      consent: ['record'],
    };
  }
}

/** The lines as JSON Lines text. */
export function syntheticJsonl(allegations: number, prefix?: string): string {
  let out = '';
  for (const l of syntheticLines(allegations, prefix)) out += `${JSON.stringify(l)}\n`;
  return out;
}
