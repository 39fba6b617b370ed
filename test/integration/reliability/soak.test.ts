/**
 * Soak: random intents from the user and random changes from "other controllers" and the network for a while
 * (30 s here, 10 minutes with `npm run fuzz`). Heap and socket counts must stay flat, and the household must still
 * match the simulator at the end.
 */
import { describe, expect, it, vi } from 'vitest';
import { LONG, SEED, SOAK_MS } from '../../support/fuzz';
import { startHarness } from '../../support/core-harness';
import { collectGarbage, heapMb } from '../../support/gc';

/** A small seeded generator, so a failing soak can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe(`soak (${SOAK_MS / 1000} s)`, () => {
  it(
    'keeps heap and sockets flat under random intents and events',
    async () => {
      const gc = collectGarbage();
      const harness = await startHarness({
        players: 4,
        groups: '1+2,3,4',
        holdBackMs: 30,
        applyDelayMs: 5,
        trackMs: 3_000,
      });
      const { sim, controller } = harness;
      try {
        await controller.whenComplete(5_000);
        const rand = random(SEED);
        const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)]!;
        let failures = 0;
        const attempt = (promise: Promise<unknown>): void => void promise.catch(() => (failures += 1));
        const step = (): void => {
          const snapshot = controller.snapshot();
          const groups = Object.values(snapshot.groups);
          const players = Object.values(snapshot.players);
          if (groups.length === 0 || players.length === 0) return;
          const roll = rand();
          const group = pick(groups);
          const player = pick(players);
          if (roll < 0.35) attempt(controller.setGroupVolume(group.id, Math.floor(rand() * 101)));
          else if (roll < 0.55) attempt(controller.setPlayerVolume(player.id, Math.floor(rand() * 101)));
          else if (roll < 0.62) attempt(controller.setGroupMute(group.id, rand() < 0.5));
          else if (roll < 0.66)
            attempt(controller.playback(group.id, pick(['play', 'pause', 'skipToNextTrack'] as const)));
          else if (roll < 0.8)
            sim.control.setPlayerVolume(pick(sim.state().players).id, Math.floor(rand() * 101));
          else if (roll < 0.9)
            sim.control.setGroupVolume(pick(sim.state().groups).id, Math.floor(rand() * 101));
          else if (roll < 0.95) attempt(controller.adjustGroupVolume(group.id, rand() < 0.5 ? 3 : -3));
          // Rooms and music: regroups (ours and another controller's), play modes and seeks.
          else if (roll < 0.96)
            attempt(
              rand() < 0.5 ? controller.rooms.join(player.id, group.id) : controller.rooms.leave(player.id),
            );
          else if (roll < 0.965) sim.control.regroup(pick(['1+2,3,4', '1+2+3,4', '1,2,3,4', '4+1,2+3']));
          else if (roll < 0.975)
            attempt(controller.transport.setPlayModes(group.id, { shuffle: rand() < 0.5 }));
          else if (roll < 0.985) attempt(controller.transport.seek(group.id, Math.floor(rand() * 120_000)));
          else if (roll < 0.995)
            attempt(
              controller.transport.setPlayModes(group.id, { repeat: pick(['off', 'all', 'one'] as const) }),
            );
          else sim.control.dropSockets(pick(sim.state().players).id);
        };
        const run = async (ms: number): Promise<void> => {
          const end = Date.now() + ms;
          while (Date.now() < end) {
            step();
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        };

        await run(3_000); // warm up: caches, JIT, pools
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        gc();
        const heapBefore = heapMb();
        const handlesBefore = process.getActiveResourcesInfo().length;

        await run(SOAK_MS);
        // Let the last commands land and the player sockets come back.
        await vi.waitFor(
          () => {
            for (const p of sim.state().players) expect(p.openSockets).toBe(1);
            for (const p of Object.values(controller.snapshot().players))
              expect(p.connection).toBe('connected');
          },
          { timeout: 10_000 },
        );
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        gc();
        const heapGrowth = heapMb() - heapBefore;
        const handlesAfter = process.getActiveResourcesInfo().length;

        expect(heapGrowth, `heap grew ${heapGrowth.toFixed(1)} MB`).toBeLessThan(8);
        expect(handlesAfter, 'active handles').toBeLessThanOrEqual(handlesBefore + 5);
        // One socket per player on both ends; nothing doubled up by all the reconnecting.
        expect(sim.state().players.every((p) => p.openSockets === 1)).toBe(true);
        // Still in step with the simulator.
        await vi.waitFor(() => {
          const snapshot = controller.snapshot();
          for (const p of sim.state().players) expect(snapshot.players[p.id]!.volume).toBe(p.volume);
          for (const g of sim.state().groups) expect(snapshot.groups[g.id]?.volume).toBe(g.volume);
        });
        expect(controller.stats().maxInFlight).toBe(1);
        expect(failures).toBeLessThan(SOAK_MS / 100);
      } finally {
        await harness.stop();
      }
    },
    SOAK_MS + (LONG ? 120_000 : 60_000),
  );
});
