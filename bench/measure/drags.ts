/**
 * Slider drags against players that behave like hardware (a command within ~260 ms of the previous one on the
 * same target is held back; volume applied 21 ms after the ack): 2 s at 60 Hz each, many groups at once. A drag
 * is correct when the player ends at the value where the slider stopped. In-flight is counted by the player:
 * how many of our commands on that target it had not answered when the next one arrived.
 */
import { round, sleep } from '../stats';
import { startCoreRig } from './core-setup';

export async function measureDrags(
  total = 1_000,
  concurrent = 50,
): Promise<{ finalCorrectRate: number; maxInFlight: number; drags: number }> {
  const players = Math.min(concurrent, 64);
  const groups = Array.from({ length: players }, (_, i) => String(i + 1)).join(',');
  const rig = await startCoreRig({ players, groups, holdBackMs: 260, applyDelayMs: 21, trackMs: 600_000 });
  let maxInFlight = 0;
  const off = rig.sim.onCommand((command) => {
    if (command.command === 'setVolume') maxInFlight = Math.max(maxInFlight, command.inFlightOnTarget);
  });
  let correct = 0;
  let done = 0;
  let seed = 12345;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  try {
    const groupIds = Object.values(rig.controller.snapshot().groups).map((g) => g.id);
    while (done < total) {
      const batch = groupIds.slice(0, Math.min(groupIds.length, total - done));
      const finals = await Promise.all(
        batch.map(async (groupId) => {
          let value = Math.floor(random() * 101);
          const intents: Promise<void>[] = [];
          for (let frame = 0; frame < 120; frame++) {
            value = Math.max(0, Math.min(100, value + Math.round((random() - 0.5) * 8)));
            intents.push(rig.controller.setGroupVolume(groupId, value).catch(() => {}));
            await sleep(1000 / 60);
          }
          await Promise.all(intents);
          return { groupId, value };
        }),
      );
      // The last value is applied 21 ms after its ack.
      await sleep(120);
      const state = rig.sim.state();
      for (const { groupId, value } of finals) {
        if (state.groups.find((g) => g.id === groupId)?.volume === value) correct += 1;
      }
      done += batch.length;
    }
  } finally {
    off();
    await rig.stop();
  }
  return { finalCorrectRate: round(correct / done, 4), maxInFlight, drags: done };
}
