/**
 * The rooms-and-music channels of the contract, end to end: through AppCore's router (payload validation, handler,
 * reply checked against the contract) into the core and onto the simulated players — what the popover will call.
 */
import * as v from 'valibot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HouseholdPatchSchema, HouseholdSnapshotSchema } from '../../../main/contract/model';
import { createAppCore, type AppCore } from '../../../main/core/app-core';
import { simGroupOf, startHarness, type Harness } from '../../support/core-harness';

let harness: Harness | null = null;
let core: AppCore | null = null;
afterEach(async () => {
  core?.dispose();
  await harness?.stop();
  harness = core = null;
});

describe('AppCore: rooms and music channels', () => {
  it('snapshots and patches with the new fields pass the contract; every new channel reaches the players', async () => {
    harness = await startHarness({ players: 4, groups: '1+2,3,4' });
    const { sim, controller } = harness;
    core = createAppCore({ controller });
    const patches: unknown[] = [];
    core.subscribe((event, payload) => {
      if (event === 'household:patch') patches.push(payload);
    });
    await controller.whenComplete();
    await vi.waitFor(() =>
      expect(controller.snapshot().households[sim.householdId]?.favorites).not.toBeNull(),
    );
    const handle = (channel: string, payload?: unknown) => core!.router.handle(channel, payload);

    const snapshot = await handle('household:getSnapshot');
    expect(snapshot.ok).toBe(true);
    if (!snapshot.ok) return;
    const household = v.parse(HouseholdSnapshotSchema, snapshot.value);
    const [a, b, c, d] = sim.players.map((p) => p.id);
    const pair = Object.values(household.groups).find((g) => g.playerIds.includes(a!))!;
    expect(household.players[d!]!.homeTheater).not.toBeNull();

    expect(await handle('group:setPlayModes', { groupId: pair.id, shuffle: true })).toEqual({
      ok: true,
      value: null,
    });
    expect(await handle('group:seek', { groupId: pair.id, positionMs: 30_000 })).toEqual({
      ok: true,
      value: null,
    });
    expect(await handle('group:seekBy', { groupId: pair.id, deltaMs: 5_000 })).toMatchObject({ ok: true });
    expect(simGroupOf(sim, a!).playModes.shuffle).toBe(true);
    expect(await handle('rooms:join', { playerId: c, groupId: pair.id })).toMatchObject({ ok: true });
    expect(simGroupOf(sim, c!).playerIds).toEqual([a, b, c]);
    expect(await handle('rooms:leave', { playerId: c })).toMatchObject({ ok: true });
    const favorite = household.households[sim.householdId]!.favorites!.items[0]!;
    const group = Object.values(controller.snapshot().groups).find((g) => g.playerIds.includes(c!))!;
    expect(await handle('music:playFavorite', { groupId: group.id, favoriteId: favorite.id })).toMatchObject({
      ok: true,
    });
    expect(simGroupOf(sim, c!).container).toBe(favorite.name);
    expect(await handle('player:setHomeTheater', { playerId: d, enhanceDialog: true })).toMatchObject({
      ok: true,
    });
    expect(sim.state().players[3]!.homeTheater).toEqual({ nightMode: false, enhanceDialog: true });
    expect(await handle('player:setHomeTheater', { playerId: a, nightMode: true })).toMatchObject({
      ok: false,
      error: { code: 'not-allowed' },
    });
    const paused = await handle('playback:pauseAll');
    expect(paused).toMatchObject({ ok: true, value: { paused: expect.any(Number) } });
    expect(sim.state().groups.every((g) => g.playbackState !== 'PLAYBACK_STATE_PLAYING')).toBe(true);
    expect(await handle('playback:resumeAll')).toEqual({
      ok: true,
      value: { resumed: (paused as { value: { paused: number } }).value.paused },
    });
    expect(await handle('rooms:groupAll', { groupId: group.id })).toMatchObject({ ok: true });
    expect(sim.state().groups).toHaveLength(1);
    expect(await handle('rooms:ungroupAll', { householdId: sim.householdId })).toMatchObject({ ok: true });
    expect(sim.state().groups).toHaveLength(4);
    expect(await handle('music:refresh', { householdId: sim.householdId })).toEqual({
      ok: true,
      value: null,
    });

    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(patches.length).toBeGreaterThan(0);
    for (const patch of patches) expect(v.safeParse(HouseholdPatchSchema, patch).issues).toBeUndefined();
  });
});
