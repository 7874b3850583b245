import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYSTEM, type Services } from '../../src/services/context.ts';
import { createArea, findFacilityWithAreas, updateArea } from '../../src/services/facility.service.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { describeEachDialect } from '../support/databases.ts';
import { makeFacility, openTestServices } from '../support/factories.ts';
import { refusalOf as refusal } from '../support/refusal.ts';

/** The version of an area as it is stored now. */
async function versionOf(svc: Services, facilityId: string, areaId: string): Promise<number> {
  const found = (await findFacilityWithAreas(svc, facilityId))?.areas.find((a) => a.id === areaId);
  if (!found) throw new Error(`no area ${areaId}`);
  return found.version;
}

describeEachDialect('the layout tree of a facility', (dialect) => {
  let svc: Services;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ svc, dispose } = await openTestServices(dialect));
  });
  afterEach(async () => dispose());

  it('nests site → building → floor → room → cell, and refuses a building under a room', async () => {
    const facilityId = await makeFacility(svc);
    const area = async (level: string, parentId?: string) =>
      (await createArea(svc, SYSTEM, { facilityId, parentId, level, label: level })).id;
    const building = await area('building');
    const basement = await area('floor', building);
    const room = await area('room', basement);
    await area('cell', room);
    await area('other', room);

    expect(await refusal(() => area('building', room))).toEqual({ code: 'validation.invalid', path: 'parentId' });
    expect(await refusal(() => area('floor', room))).toEqual({ code: 'validation.invalid', path: 'parentId' });
    // Turning the floor into a cell would leave its room inside a cell.
    const floorVersion = await versionOf(svc, facilityId, basement);
    expect(await refusal(() => updateArea(svc, SYSTEM, basement, { level: 'cell', version: floorVersion }))).toEqual({
      code: 'validation.invalid',
      path: 'level',
    });
    const second = await area('building');
    expect(
      await refusal(async () =>
        updateArea(svc, SYSTEM, second, { parentId: room, version: await versionOf(svc, facilityId, second) }),
      ),
    ).toEqual({ code: 'validation.invalid', path: 'parentId' });
    // A room may move to another building.
    await updateArea(svc, SYSTEM, room, { parentId: second, version: await versionOf(svc, facilityId, room) });
    expect((await findFacilityWithAreas(svc, facilityId))?.areas.find((a) => a.id === room)?.parentId).toBe(second);
    expect(await verifyStore(svc.store)).toMatchObject({ ok: true });
  });
});
