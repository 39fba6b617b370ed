/**
 * Rooms through the real core against the simulator: a regroup is drawn at once and settles on the players'
 * `groups` event, rooms are named by player id while group ids and names change, the music stays with the rooms
 * that keep it, and a refusal brings the old grouping back with a message that names the rooms.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { HouseholdSnapshot } from '../../../main/contract/model';
import { simGroupOf, startHarness, type Harness } from '../../support/core-harness';

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.stop();
  harness = null;
});

const groupWith = (snapshot: HouseholdSnapshot, playerId: string) =>
  Object.values(snapshot.groups).find((g) => g.playerIds.includes(playerId))!;

describe('rooms', () => {
  it('join shows the speaker in its new group at once, and resolves when the players’ event agrees', async () => {
    harness = await startHarness({ players: 4, groups: '1+2,3,4' });
    const { sim, controller } = harness;
    const before = await controller.whenComplete();
    const [a, , c] = sim.players.map((p) => p.id);
    const target = groupWith(before, a!);
    const joining = controller.rooms.join(c!, target.id);
    // Drawn at once: the speaker is in the group, the name says so, before any event.
    const drawn = controller.model.group(target.id)!;
    expect(drawn.playerIds).toEqual([a, sim.players[1]!.id, c]);
    expect(drawn.name).toBe('Living Room + 2');
    await expect(joining).resolves.toEqual({ changed: true });
    // Settled: the players' grouping, with its new id and name, is what the model shows.
    const after = controller.snapshot();
    const group = groupWith(after, c!);
    expect(group.id).not.toBe(target.id);
    expect(group).toMatchObject({ coordinatorId: a, name: 'Living Room + 2' });
    expect(group.id).toBe(simGroupOf(sim, c!).id);
    expect(Object.values(after.groups).filter((g) => g.playerIds.includes(c!))).toHaveLength(1);
    // Again: nothing to do, nothing sent.
    await expect(controller.rooms.join(c!, group.id)).resolves.toEqual({ changed: false });
  });

  it('leave on the coordinator hands the music to the rooms that stay; the old id still reaches them', async () => {
    harness = await startHarness({ players: 3, groups: '1+2+3' });
    const { sim, controller } = harness;
    const before = await controller.whenComplete();
    const [a, b] = sim.players.map((p) => p.id);
    const old = groupWith(before, a!);
    const title = old.nowPlaying?.title;
    await controller.rooms.leave(a!);
    const snapshot = controller.snapshot();
    expect(groupWith(snapshot, a!).playerIds).toEqual([a]);
    const rest = groupWith(snapshot, b!);
    expect(rest).toMatchObject({ coordinatorId: b, name: 'Kitchen + 1', playback: 'playing' });
    expect(rest.nowPlaying?.title).toBe(title);
    expect(simGroupOf(sim, b!).playbackState).toBe('PLAYBACK_STATE_PLAYING');
    // An intent aimed at the group's old id goes where its music went (the player answers MOVED).
    await controller.setGroupVolume(old.id, 22);
    expect(simGroupOf(sim, b!).volume).toBe(22);
  });

  it('group all and ungroup all; each coordinator keeps its music', async () => {
    harness = await startHarness({ players: 4, groups: '1+2,3,4' });
    const { sim, controller } = harness;
    const before = await controller.whenComplete();
    const ids = sim.players.map((p) => p.id);
    await controller.rooms.groupAll(groupWith(before, ids[2]!).id);
    expect(sim.state().groups).toHaveLength(1);
    expect(sim.state().groups[0]).toMatchObject({ coordinatorId: ids[2] });
    expect(Object.keys(controller.snapshot().groups)).toHaveLength(1);
    await controller.rooms.ungroupAll(sim.householdId);
    expect(sim.state().groups).toHaveLength(4);
    expect(simGroupOf(sim, ids[2]!).source).toBe('playlist');
    expect(Object.values(controller.snapshot().groups).every((g) => g.playerIds.length === 1)).toBe(true);
    await expect(controller.rooms.ungroupAll(sim.householdId)).resolves.toEqual({ changed: false });
  });

  it('a refused regroup brings the old grouping back at once and names the rooms', async () => {
    harness = await startHarness({ players: 4, groups: '1+2,3,4' });
    const { sim, controller } = harness;
    const before = await controller.whenComplete();
    const [a, , , d] = sim.players.map((p) => p.id);
    sim.control.setSoftwareVersion(4, '97.0-00001');
    const target = groupWith(before, a!);
    const joining = controller.rooms.join(d!, target.id);
    expect(controller.model.group(target.id)!.playerIds).toContain(d);
    await expect(joining).rejects.toMatchObject({
      code: 'refused',
      message: 'Sonos did not regroup Office.',
    });
    expect(controller.model.group(groupWith(controller.snapshot(), a!).id)!.playerIds).not.toContain(d);
    expect(simGroupOf(sim, d!).playerIds).toEqual([d]);
  });

  it('rooms are found by player: a join aimed at a group id that a regroup just renamed still lands', async () => {
    harness = await startHarness({ players: 4, groups: '1,2,3,4' });
    const { sim, controller } = harness;
    const before = await controller.whenComplete();
    const [a, b, c] = sim.players.map((p) => p.id);
    const old = groupWith(before, a!).id;
    // Another controller regroups: the group keeps its coordinator and gets a new id.
    sim.control.regroup('1+2');
    await expect(controller.rooms.join(c!, old)).resolves.toEqual({ changed: true });
    expect(simGroupOf(sim, c!).playerIds).toEqual([a, b, c]);
  });
});
