/**
 * Our real core inside a namespace of the virtual LAN: the controller with the app's mDNS and SSDP discovery on
 * the namespace's real interfaces, a fresh store, and nothing faked. Run it with `ip netns exec`:
 *
 *   node --import tsx test/vlan/core.ts '{"skipVirtualInterfaces":true}'
 *
 * Prints JSON lines: `ready`, every log record (`log`), every player discovery reports (`found`), and a `state`
 * on request. Takes JSON lines on stdin: `{"cmd":"state"}`, `{"cmd":"rescan"}`,
 * `{"cmd":"skipVirtualInterfaces","value":false}`. It also keeps a trap on 127.0.0.1:1443 of its namespace and
 * says when anything connects to it (`trap`): a rogue that talked us into asking our own loopback would show.
 */
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { Controller } from '../../main/core/controller';
import { createMdnsSource } from '../../main/core/discovery/mdns-source';
import { createSsdpSource } from '../../main/core/discovery/ssdp-source';
import { createLogger } from '../../main/core/logger';
import { DataStore, memoryBackend } from '../../main/core/store/data-store';

interface Config {
  skipVirtualInterfaces?: boolean;
  networkPollMs?: number;
  keepAliveMs?: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const out = (event: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(event)}\n`);

const trap = createServer((socket) => {
  out({ type: 'trap', from: socket.remoteAddress });
  socket.destroy();
});
trap.on('error', (error) => out({ type: 'trap-error', error: error.message }));
trap.listen(1443, '127.0.0.1');

const logger = createLogger((record) => out({ type: 'log', ...record }), { level: 'debug' });
const store = new DataStore(memoryBackend(), logger);
if (config.skipVirtualInterfaces !== undefined)
  store.updateSettings({ skipVirtualInterfaces: config.skipVirtualInterfaces });
const controller = new Controller({
  store,
  logger,
  discoverySources: [
    createMdnsSource({ onError: (error) => logger.debug('mdns', { error: String(error) }) }),
    createSsdpSource({ onError: (error) => logger.debug('ssdp', { error: String(error) }) }),
  ],
  discovery: { networkPollMs: config.networkPollMs ?? 500, initialScanIntervalMs: 1_000 },
  connection: { keepAliveMs: config.keepAliveMs ?? 2_000, backoffInitialMs: 200, backoffMaxMs: 1_000 },
});
controller.discovery.on('player', (player) =>
  out({ type: 'found', playerId: player.playerId, host: player.host, foundBy: player.foundBy }),
);

function state(): Record<string, unknown> {
  const snapshot = controller.snapshot();
  return {
    type: 'state',
    found: controller.discovery
      .players()
      .map((p) => ({ playerId: p.playerId, host: p.host, foundBy: p.foundBy })),
    players: Object.values(snapshot.players).map((p) => ({
      id: p.id,
      connection: p.connection,
      address: controller.network.connectionInfo(p.id)?.address ?? null,
    })),
  };
}

createInterface({ input: process.stdin }).on('line', (line) => {
  let command: { cmd?: string; value?: unknown };
  try {
    command = JSON.parse(line) as typeof command;
  } catch {
    return;
  }
  if (command.cmd === 'state') out(state());
  else if (command.cmd === 'rescan') controller.rescan();
  else if (command.cmd === 'skipVirtualInterfaces')
    controller.updateSettings({ skipVirtualInterfaces: command.value === true });
});

controller.start();
out({ type: 'ready' });

const stop = (): void => {
  controller.stop();
  trap.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
