import { afterEach, describe, expect, it } from 'vitest';
import type { ReceivedCommand, Simulator } from '../../simulator';
import { startFastSimulator, TestSocket } from './ws-test-client';

let sim: Simulator | null = null;
afterEach(async () => {
  await sim?.stop();
  sim = null;
});

describe('in-flight count seen by the player', () => {
  it('counts commands per target and socket that are not answered yet', async () => {
    sim = await startFastSimulator({ players: 2, groups: '1,2', holdBackMs: 120 });
    const received: ReceivedCommand[] = [];
    sim.onCommand((c) => received.push(c));
    const socket = await TestSocket.open(sim, 1);
    const groupId = sim.state().groups.find((g) => g.coordinatorId === sim!.players[0]!.id)!.id;
    // One at a time: each sent after the previous answer.
    await socket.request('groupVolume:1', 'setVolume', { groupId, body: { volume: 10 } });
    await socket.request('groupVolume:1', 'setVolume', { groupId, body: { volume: 11 } });
    // Three at once: the player sees them pile up.
    await Promise.all(
      [12, 13, 14].map((volume) =>
        socket.request('groupVolume:1', 'setVolume', { groupId, body: { volume } }),
      ),
    );
    const counts = received.filter((c) => c.command === 'setVolume').map((c) => c.inFlightOnTarget);
    expect(counts).toEqual([1, 1, 1, 2, 3]);
    // Another target has its own count.
    await socket.request('playerVolume:1', 'setVolume', {
      playerId: sim.players[0]!.id,
      body: { volume: 5 },
    });
    expect(received.at(-1)!.inFlightOnTarget).toBe(1);
  });
});
