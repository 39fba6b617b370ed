/**
 * Ids are whatever a device on the network says they are. A player called `toString` once broke
 * `household:getSnapshot` for every household (its "nickname" was Object.prototype.toString). Every id-keyed
 * record is a Map or is built from entries; ids a contract record cannot carry are left out, and nothing else is.
 */
import * as v from 'valibot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HouseholdSnapshotSchema, type HouseholdSnapshot } from '../../../main/contract/model';
import { createAppCore } from '../../../main/core/app-core';
import { startHarness, type Harness } from '../../support/core-harness';
import { startRawPlayer, type RawPlayer } from '../../support/raw-player';

const PROTO_IDS = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'];
/** Left out: valibot drops these keys from every record it checks, so the popover could never see them. */
const UNSHOWABLE = ['__proto__', 'constructor'];

/** A record entry by an id typed as any string (a literal `valueOf` would name the method). */
const entry = <T>(record: Record<string, T>, id: string): T | undefined =>
  Object.hasOwn(record, id) ? record[id] : undefined;

const groupsFrame = (householdId: string, body: { groups: object[]; players: object[] }): string =>
  JSON.stringify([
    { namespace: 'groups:1', householdId, locationId: 'lc_x', name: 'groups', type: 'groups' },
    { _objectType: 'groups', partial: false, ...body },
  ]);

let harness: Harness | null = null;
const raws: RawPlayer[] = [];
afterEach(async () => {
  await Promise.all(raws.splice(0).map((r) => r.close()));
  await harness?.stop();
  harness = null;
});

describe('players, groups and households named like prototype properties', () => {
  it('do not break the snapshot of any household, and those the contract can carry are shown', async () => {
    harness = await startHarness({ players: 1 });
    const { sim, controller, store } = harness;
    await controller.whenComplete(5_000);
    const core = createAppCore({ controller });
    const odd = await startRawPlayer({ autoPong: true });
    raws.push(odd);
    const HH = 'hasOwnProperty';
    controller.network.addPlayer({ playerId: 'toString', householdId: HH, websocketUrl: odd.url, name: 'T' });
    await vi.waitFor(() => expect(odd.sockets()).toHaveLength(1));
    odd.broadcast(
      groupsFrame(HH, {
        groups: PROTO_IDS.map((id) => ({ id, name: `Group ${id}`, coordinatorId: id, playerIds: [id] })),
        players: PROTO_IDS.map((id) => ({ id, name: `Player ${id}`, websocketUrl: odd.url })),
      }),
    );
    odd.broadcast(
      JSON.stringify([
        { namespace: 'playerVolume:1', householdId: HH, playerId: 'valueOf', name: 'playerVolume' },
        { volume: 7, muted: false, fixed: false },
      ]),
    );
    await vi.waitFor(() => expect(entry(controller.snapshot().players, 'valueOf')?.volume).toBe(7));
    // A household by an unusable name, from another device: ignored whole.
    const worse = await startRawPlayer({ autoPong: true });
    raws.push(worse);
    controller.network.addPlayer({
      playerId: 'RINCON_W',
      householdId: '__proto__',
      websocketUrl: worse.url,
      name: 'W',
    });

    const reply = await core.router.handle('household:getSnapshot', undefined);
    expect(reply.ok, JSON.stringify(reply)).toBe(true);
    const snapshot = (reply as { value: HouseholdSnapshot }).value;
    expect(v.safeParse(HouseholdSnapshotSchema, snapshot).success).toBe(true);
    const shown = PROTO_IDS.filter((id) => !UNSHOWABLE.includes(id));
    expect(Object.keys(snapshot.households).sort()).toEqual([HH, sim.householdId].sort());
    expect(Object.keys(snapshot.players).sort()).toEqual([...shown, sim.players[0]!.id].sort());
    expect(
      Object.keys(snapshot.groups)
        .filter((id) => PROTO_IDS.includes(id))
        .sort(),
    ).toEqual(shown.sort());
    for (const id of shown) {
      expect(entry(snapshot.players, id)).toMatchObject({ id, householdId: HH, name: `Player ${id}` });
      expect(entry(snapshot.groups, id)).toMatchObject({ id, name: `Group ${id}`, playerIds: [id] });
    }
    // The real household next to it is whole.
    expect(entry(snapshot.players, sim.players[0]!.id)).toMatchObject({ connection: 'connected' });
    // What the browser bridge sends (JSON) reads back the same.
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);

    // Nicknames for them are theirs alone.
    store.setNickname('toString', 'Den');
    const named = controller.snapshot();
    expect(entry(named.players, 'toString')?.name).toBe('Den');
    expect(entry(named.players, 'valueOf')?.name).toBe('Player valueOf');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    core.dispose();
  });
});
