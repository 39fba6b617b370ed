/** From starting the core to the first full household snapshot (groups, volumes, playback) from the simulator. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller } from '../../main/core/controller';
import { silentLogger } from '../../main/core/logger';
import { createConfBackend } from '../../main/core/store/conf-backend';
import { DataStore } from '../../main/core/store/data-store';
import { startSimulator } from '../../test/simulator';
import { percentile, round } from '../stats';

export async function measureCoreReady(runs = 7): Promise<{ median: number; worst: number }> {
  const sim = await startSimulator({
    players: 5,
    groups: '1+2,3+4,5',
    holdBackMs: 0,
    applyDelayMs: 0,
    seed: 5,
  });
  const samples: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const store = new DataStore(createConfBackend(mkdtempSync(join(tmpdir(), 'tfs-ready-'))));
      const start = performance.now();
      const controller = new Controller({
        store,
        logger: silentLogger,
        hostsOnly: [sim.players[0]!.host],
        discovery: { networkPollMs: 0 },
      });
      controller.start();
      await controller.whenComplete(10_000);
      samples.push(performance.now() - start);
      controller.stop();
    }
  } finally {
    await sim.stop();
  }
  return { median: round(percentile(samples, 50)), worst: round(Math.max(...samples)) };
}
