/**
 * `npm run vlan` (as root): a virtual LAN to try discovery by hand — speakers of the simulator in namespaces of
 * their own, answering real mDNS and SSDP, and an empty namespace for you to run our CLI or core in. It prints
 * what to type and keeps the LAN up until Ctrl-C, then removes every namespace it made. See test/vlan/README.md.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { JsonLines } from './lines';
import { removeNamespaces, vlanUnavailable, VirtualLan } from './vlan';

const ROOT = resolve(import.meta.dirname, '../..');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      speakers: { type: 'string', default: '2' },
      rogue: { type: 'boolean', default: false },
      prefix: { type: 'string', default: 'tfsvlan' },
      clean: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const prefix = values.prefix;
  if (values.help) {
    process.stdout.write(`Usage: npm run vlan -- [--speakers N] [--rogue] [--prefix P] [--clean]
  --speakers N   speakers on the LAN, each in its own namespace (default 2, at most 20)
  --rogue        add a rogue answering as speakers at 127.0.0.1 and 10.99.0.5
  --prefix P     namespace names start with P- (default tfsvlan)
  --clean        only remove namespaces left by a run that was killed
`);
    return 0;
  }
  if (values.clean) {
    const removed = removeNamespaces(prefix);
    process.stdout.write(removed.length ? `removed ${removed.join(', ')}\n` : 'nothing to remove\n');
    return 0;
  }
  const unavailable = vlanUnavailable(prefix);
  if (unavailable) {
    process.stderr.write(`npm run vlan: ${unavailable}\n`);
    return 1;
  }
  const count = Number(values.speakers);
  if (!Number.isInteger(count) || count < 1 || count > 20) {
    process.stderr.write('npm run vlan: --speakers takes 1 to 20\n');
    return 2;
  }

  const lan = new VirtualLan(prefix);
  const stop = async (): Promise<void> => {
    process.stdout.write('\nremoving the virtual LAN…\n');
    await lan.destroy();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  try {
    lan.bridge('lan');
    lan.plug('you', 'eth0', '10.77.0.2/24', 'lan');
    const lines: string[] = [];
    for (let n = 1; n <= count + (values.rogue ? 1 : 0); n++) {
      const rogue = n > count;
      const host = rogue ? 'rogue' : `spk${n}`;
      const address = rogue ? '10.77.0.66' : `10.77.0.${10 + n}`;
      lan.plug(host, 'eth0', `${address}/24`, 'lan');
      lan.multicastRoute(host, 'eth0');
      const config = rogue ? { iface: 'eth0', lies: ['127.0.0.1', '10.99.0.5'] } : { iface: 'eth0', seed: n };
      const child = lan.spawn(
        host,
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'test/vlan/speaker.ts'), JSON.stringify(config)],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const ready = await new JsonLines(host, child).next((e) => e.type === 'ready', 30_000);
      const players = (ready.players as { id: string; name: string }[] | undefined) ?? [];
      lines.push(
        rogue
          ? `  ${lan.ns(host)}  ${address}  rogue (claims 127.0.0.1 and 10.99.0.5)`
          : `  ${lan.ns(host)}  ${address}  ${players.map((p) => `${p.name} (${p.id})`).join(', ')}`,
      );
    }
    process.stdout.write(`Virtual LAN up (bridge "lan" in ${lan.hub}, 10.77.0.0/24):
${lines.join('\n')}
  ${lan.ns('you')}  10.77.0.2  empty: yours

Try, in another terminal (as root):
  ip netns exec ${lan.ns('you')} npm run -s cli -- discover
  ip netns exec ${lan.ns('you')} npm run -s cli -- status
  ip netns exec ${lan.ns('you')} node --import tsx test/vlan/core.ts '{}'     # the core, as JSON lines
  ip netns exec ${lan.ns('spk1')} ip addr                                    # and any ip command

Ctrl-C removes it all.
`);
    await new Promise(() => {});
    return 0;
  } catch (error) {
    await lan.destroy();
    throw error;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`npm run vlan failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
