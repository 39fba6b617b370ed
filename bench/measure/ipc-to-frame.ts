/**
 * From a volume intent entering the core, exactly as the IPC handler calls it (the router, with validation), to
 * the frame arriving at the simulated player. Both ends run in this process, so one clock times both.
 */
import { summary } from '../stats';
import { startCoreRig } from './core-setup';

export async function measureIpcToFrame(rounds = 1_000): Promise<{ p50: number; p99: number }> {
  const rig = await startCoreRig({ players: 2, groups: '1+2', holdBackMs: 0, applyDelayMs: 0 });
  try {
    const group = Object.values(rig.controller.snapshot().groups)[0]!;
    let sentAt = 0;
    let arrival: ((at: number) => void) | null = null;
    const off = rig.sim.onCommand((command) => {
      if (command.command === 'setVolume' && arrival) arrival(command.receivedAt);
    });
    const once = async (volume: number): Promise<number> => {
      const arrived = new Promise<number>((resolve) => (arrival = resolve));
      sentAt = performance.now();
      const handled = rig.core.router.handle('group:setVolume', { groupId: group.id, volume });
      const at = await arrived;
      arrival = null;
      await handled;
      return at - sentAt;
    };
    // Intents come from a slider at most every 16 ms; a short pause lets the previous command's echo (events,
    // patches) settle, so each sample times one intent's path rather than two colliding.
    const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 3));
    for (let i = 0; i < 100; i++) {
      await once(i % 101);
      await pause();
    }
    const samples: number[] = [];
    for (let i = 0; i < rounds; i++) {
      samples.push(await once((i * 7) % 101));
      await pause();
    }
    off();
    const { p50, p99 } = summary(samples);
    return { p50, p99 };
  } finally {
    await rig.stop();
  }
}
