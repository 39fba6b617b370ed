/**
 * A regroup through the core against players that behave like hardware (hold-back, apply delay): a speaker joins a
 * group and leaves it again, over and over. Two numbers per regroup, on one clock (simulator and core share this
 * process): from the intent to the patch that draws the move (what the popover shows at once), and from the
 * players' `groups` event leaving the player to the intent settling on it (the model showing the real grouping).
 */
import { summary } from '../stats';
import { startCoreRig } from './core-setup';

export interface RegroupResult {
  shownP50: number;
  shownP99: number;
  settledAfterEventP50: number;
  settledAfterEventP99: number;
  rounds: number;
}

export async function measureRegroup(rounds = 100): Promise<RegroupResult> {
  const rig = await startCoreRig({ players: 4, groups: '1+2,3,4', holdBackMs: 260, applyDelayMs: 21 });
  try {
    const { controller, sim } = rig;
    const [a, , c] = sim.players.map((p) => p.id);
    const shown: number[] = [];
    const settled: number[] = [];
    let eventAt: number | null = null;
    const offEvents = sim.onEvent((event) => {
      if (event.type === 'groups' && eventAt === null) eventAt = event.sentAt;
    });
    const once = async (join: boolean): Promise<void> => {
      const target = Object.values(controller.snapshot().groups).find((g) => g.coordinatorId === a)!;
      const moved = (): boolean => {
        const group = Object.values(controller.model.snapshot().groups).find((g) => g.playerIds.includes(c!));
        return join ? group?.coordinatorId === a : group?.playerIds.length === 1;
      };
      let shownAt: number | null = null;
      const onPatch = (): void => {
        if (shownAt === null && moved()) shownAt = performance.now();
      };
      controller.on('patch', onPatch);
      eventAt = null;
      const start = performance.now();
      await (join ? controller.rooms.join(c!, target.id) : controller.rooms.leave(c!));
      const settledAt = performance.now();
      controller.off('patch', onPatch);
      if (shownAt === null || eventAt === null) throw new Error('a regroup was neither drawn nor announced');
      shown.push(shownAt - start);
      settled.push(settledAt - eventAt);
      // Let the new groups' subscriptions and snapshots arrive before the next regroup.
      await new Promise((resolve) => setTimeout(resolve, 30));
    };
    for (let i = 0; i < 10; i++) await once(i % 2 === 0);
    shown.length = 0;
    settled.length = 0;
    for (let i = 0; i < rounds; i++) await once(i % 2 === 0);
    offEvents();
    const s = summary(shown);
    const e = summary(settled);
    return {
      shownP50: s.p50,
      shownP99: s.p99,
      settledAfterEventP50: e.p50,
      settledAfterEventP99: e.p99,
      rounds,
    };
  } finally {
    await rig.stop();
  }
}
