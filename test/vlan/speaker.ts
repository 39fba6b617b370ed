/**
 * A speaker (or several) of the simulator inside a namespace of the virtual LAN: the simulator's players on port
 * 1443 of their own addresses, and the discovery responder announcing them. Run it with `ip netns exec`:
 *
 *   node --import tsx test/vlan/speaker.ts '{"iface":"eth0","players":1}'
 *   node --import tsx test/vlan/speaker.ts '{"iface":"eth0","players":5,"addresses":["10.77.0.11",…]}'
 *   node --import tsx test/vlan/speaker.ts '{"iface":"eth0","lies":["127.0.0.1","10.99.0.5"]}'   (a rogue)
 *
 * One player without `addresses` listens on every address of the namespace and names the interface's current
 * address, so a DHCP renew (the address changes) is followed: it is announced again at once, as players do. With
 * `lies`, no simulator runs: it answers discovery naming those addresses, from its own.
 *
 * Prints JSON lines on stdout: first `{"type":"ready",…}` with the household and players, then what it hears
 * (`query`) and does (`address`). SIGTERM stops it.
 */
import { networkInterfaces } from 'node:os';
import { startSimulator } from '../simulator';
import { startResponder, type Announced } from './responder';

interface Config {
  iface: string;
  players?: number;
  addresses?: string[];
  lies?: string[];
  seed?: number;
  groups?: string;
  trackMs?: number;
  playing?: boolean;
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const out = (event: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(event)}\n`);

function currentAddress(): string {
  const info = networkInterfaces()[config.iface]?.find((i) => i.family === 'IPv4');
  return info?.address ?? '0.0.0.0';
}

async function main(): Promise<void> {
  let announced: Announced[];
  let stopSim: () => Promise<void> = async () => {};
  if (config.lies) {
    announced = config.lies.map((lie, n) => ({
      id: `RINCON_R0GUE0000000${n}01400`,
      name: `Rogue ${n}`,
      householdId: 'Sonos_RogueHousehold.RogueSuffix',
      port: 1443,
      address: () => lie,
      sendFrom: null,
    }));
    out({ type: 'ready', lies: config.lies });
  } else {
    const addresses = config.addresses ?? null;
    const count = addresses?.length ?? config.players ?? 1;
    const sim = await startSimulator({
      players: count,
      holdBackMs: 0,
      applyDelayMs: 0,
      ...(config.seed !== undefined ? { seed: config.seed } : {}),
      ...(config.groups !== undefined ? { groups: config.groups } : {}),
      ...(config.trackMs !== undefined ? { trackMs: config.trackMs } : {}),
      ...(config.playing !== undefined ? { playing: config.playing } : {}),
      playerAddress: (index) =>
        addresses
          ? { bind: addresses[index]!, port: 1443, advertise: () => addresses[index]! }
          : { bind: '0.0.0.0', port: 1443, advertise: currentAddress },
    });
    stopSim = () => sim.stop();
    announced = sim.players.map((p, index) => ({
      id: p.id,
      name: p.name,
      householdId: sim.householdId,
      port: 1443,
      address: addresses ? () => addresses[index]! : currentAddress,
      sendFrom: addresses ? addresses[index]! : null,
    }));
    out({
      type: 'ready',
      householdId: sim.householdId,
      players: sim.players.map((p) => ({ id: p.id, name: p.name, host: p.host })),
    });
  }
  const responder = await startResponder(announced, out);
  responder.announce();

  // A DHCP renew: the interface's address changes; say so, and announce the new one.
  let address = currentAddress();
  const watch = setInterval(() => {
    const now = currentAddress();
    if (now === address) return;
    address = now;
    out({ type: 'address', address: now });
    if (now !== '0.0.0.0') responder.announce();
  }, 200);

  const stop = async (): Promise<void> => {
    clearInterval(watch);
    await responder.stop();
    await stopSim();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`speaker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
