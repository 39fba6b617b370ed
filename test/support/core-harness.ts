/** Starts the simulator and our real core against it, wired as the app wires them, for integration tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, type ControllerOptions } from '../../main/core/controller';
import { createLogger, type LogRecord } from '../../main/core/logger';
import { createConfBackend } from '../../main/core/store/conf-backend';
import { DataStore } from '../../main/core/store/data-store';
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator';
import { loopbackLookup } from './loopback-lookup';

export interface Harness {
  sim: Simulator;
  controller: Controller;
  store: DataStore;
  dataDir: string;
  logs: LogRecord[];
  stop(): Promise<void>;
}

/** Fast players unless a test asks otherwise: no hold-back, no apply delay. */
export const FAST: SimulatorOptions = { holdBackMs: 0, applyDelayMs: 0 };

export async function startHarness(
  simOptions: SimulatorOptions = {},
  controllerOptions: Partial<ControllerOptions> = {},
): Promise<Harness> {
  const sim = await startSimulator({ ...FAST, seed: 7, ...simOptions });
  const dataDir = mkdtempSync(join(tmpdir(), 'tfs-core-'));
  const logs: LogRecord[] = [];
  const logger = createLogger((record) => logs.push(record), { level: 'debug' });
  const store = new DataStore(createConfBackend(dataDir), logger);
  // Never a real DNS query from a test: host names resolve only to loopback, through this.
  const lookup = loopbackLookup();
  const controller = new Controller({
    store,
    logger,
    hostsOnly: [sim.players[0]!.host],
    ...controllerOptions,
    discovery: { networkPollMs: 0, lookup, ...controllerOptions.discovery },
    connection: {
      backoffInitialMs: 50,
      backoffMaxMs: 400,
      commandTimeoutMs: 3_000,
      lookup,
      ...controllerOptions.connection,
    },
  });
  controller.start();
  return {
    sim,
    controller,
    store,
    dataDir,
    logs,
    async stop() {
      controller.stop();
      await sim.stop();
    },
  };
}

export function simGroupOf(sim: Simulator, playerId: string) {
  const state = sim.state();
  const groupId = state.players.find((p) => p.id === playerId)!.groupId;
  return state.groups.find((g) => g.id === groupId)!;
}

export function simPlayer(sim: Simulator, playerId: string) {
  return sim.state().players.find((p) => p.id === playerId)!;
}
