import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppCore, type AppCore } from '../../main/core/app-core';
import { Controller } from '../../main/core/controller';
import { silentLogger } from '../../main/core/logger';
import { createConfBackend } from '../../main/core/store/conf-backend';
import { DataStore } from '../../main/core/store/data-store';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../test/simulator';

export interface CoreRig {
  sim: Simulator;
  controller: Controller;
  core: AppCore;
  stop(): Promise<void>;
}

/** The simulator and our core wired as the app wires them (fresh data folder, typed host). */
export async function startCoreRig(simOptions: SimulatorOptions): Promise<CoreRig> {
  const sim = await startSimulator({ seed: 99, ...simOptions });
  const controller = new Controller({
    store: new DataStore(createConfBackend(mkdtempSync(join(tmpdir(), 'tfs-bench-')))),
    logger: silentLogger,
    hostsOnly: [sim.players[0]!.host],
    discovery: { networkPollMs: 0 },
  });
  const core = createAppCore({ controller });
  controller.start();
  await controller.whenComplete(20_000);
  return {
    sim,
    controller,
    core,
    async stop() {
      core.dispose();
      controller.stop();
      await sim.stop();
    },
  };
}
