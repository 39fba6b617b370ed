/**
 * The app's core as the shell wires it — controller, account, AppCore with the popover hidden — in a process of
 * its own, so its CPU time, timers and memory are the core's alone (the simulator runs elsewhere). Driven by
 * bench/measure/idle.ts over JSON lines:
 *
 *   node --expose-gc <this file bundled by esbuild> '<config>'     (bench/measure/idle.ts bundles it)
 *   → {"type":"ready", players, cloudHouseholds}        once the household is complete (and signed in, if asked)
 *   ← {"cmd":"measure","ms":60000}                       → {"type":"measured", cpuMs, timerCallbacks, …}
 *   ← {"cmd":"show"} / {"cmd":"hide"}                    the popover opens / closes
 *   ← {"cmd":"memory"}                                   → {"type":"memory", heapUsedMb, rssMb} after a full GC
 */
import { createInterface } from 'node:readline';

// Counted before anything else loads: every timer callback that runs is a wake-up of the process.
let timerCallbacks = 0;
const wrap =
  <A extends unknown[]>(
    original: (callback: (...args: A) => void, ms?: number, ...args: A) => NodeJS.Timeout,
  ) =>
  (callback: (...args: A) => void, ms?: number, ...args: A): NodeJS.Timeout =>
    original(
      (...inner: A) => {
        timerCallbacks += 1;
        callback(...inner);
      },
      ms,
      ...args,
    );
globalThis.setTimeout = Object.assign(wrap(setTimeout as never), {
  __promisify__: setTimeout.__promisify__,
}) as never;
globalThis.setInterval = wrap(setInterval as never) as never;

interface Config {
  /** Players to reach by address (loopback); none: find them by mDNS and SSDP on this namespace's network. */
  hosts?: string[];
  /** The simulated Sonos cloud to sign in to (its consent page in `auto` mode). */
  cloud?: { authBase: string; apiBase: string };
  players: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const out = (event: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(event)}\n`);

async function main(): Promise<void> {
  const { createAccount } = await import('../../main/core/account/create-account');
  const { endpointsFromEnv } = await import('../../main/core/account/endpoints');
  const { noSecretStorage } = await import('../../main/core/account/secret-storage');
  const { createAppCore } = await import('../../main/core/app-core');
  const { Controller } = await import('../../main/core/controller');
  const { createMdnsSource } = await import('../../main/core/discovery/mdns-source');
  const { createSsdpSource } = await import('../../main/core/discovery/ssdp-source');
  const { silentLogger } = await import('../../main/core/logger');
  const { DataStore, memoryBackend } = await import('../../main/core/store/data-store');

  const store = new DataStore(memoryBackend());
  // The app's defaults: discovery polls the network every 15 s, players are pinged every 30 s.
  const controller = new Controller({
    store,
    logger: silentLogger,
    ...(config.hosts
      ? { hostsOnly: config.hosts }
      : { discoverySources: [createMdnsSource(), createSsdpSource()] }),
  });
  const account = config.cloud
    ? createAccount({
        controller,
        store,
        storage: noSecretStorage,
        opener: { openExternal: async () => {} },
        logger: silentLogger,
        endpoints: endpointsFromEnv({
          TFS_AUTH_BASE: config.cloud.authBase,
          TFS_API_BASE: config.cloud.apiBase,
        }),
      })
    : null;
  const core = createAppCore({
    controller,
    account: account?.service ?? null,
    popoverVisible: false,
    ...(account ? { onPopoverVisible: (visible: boolean) => account.setPopoverVisible(visible) } : {}),
  });
  // What the popover would be sent, had it a window: counted, as the IPC would carry it.
  let popoverEvents = 0;
  let popoverBytes = 0;
  core.subscribe((event, payload) => {
    popoverEvents += 1;
    popoverBytes += JSON.stringify({ event, payload }).length;
  });
  controller.start();

  let cloudHouseholds: string[] = [];
  if (account) {
    await account.service.configure({
      clientId: 'sim-client-id',
      clientSecret: 'sim-client-secret',
      redirectUri: 'https://bounce.example.test/sonos/',
    });
    const waiting = await account.service.signIn();
    // The simulator's consent page in `auto` mode sends the browser straight back.
    const answer = await fetch(waiting.authorizeUrl!, { redirect: 'manual' });
    const state = await account.service.submitCallback(answer.headers.get('location')!);
    if (state.status !== 'signedIn') throw new Error(`sign-in failed: ${JSON.stringify(state.error)}`);
    cloudHouseholds = state.households.map((h) => h.id);
  }
  // Every player connected (a household reached only through the cloud has nothing to wait for).
  for (;;) {
    const snapshot = controller.snapshot();
    const connected = Object.values(snapshot.players).filter((p) => p.connection === 'connected').length;
    if (connected >= config.players) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  out({ type: 'ready', players: Object.keys(controller.snapshot().players).length, cloudHouseholds });

  createInterface({ input: process.stdin }).on('line', (line) => {
    const command = JSON.parse(line) as { cmd: string; ms?: number };
    if (command.cmd === 'exit') process.exit(0);
    else if (command.cmd === 'show') core.setPopoverVisible(true);
    else if (command.cmd === 'hide') core.setPopoverVisible(false);
    else if (command.cmd === 'memory') {
      (globalThis as { gc?: () => void }).gc?.();
      const memory = process.memoryUsage();
      out({ type: 'memory', heapUsedMb: memory.heapUsed / 2 ** 20, rssMb: memory.rss / 2 ** 20 });
    } else if (command.cmd === 'measure') {
      const cpu = process.cpuUsage();
      const timers = timerCallbacks;
      const events = popoverEvents;
      const bytes = popoverBytes;
      const started = performance.now();
      setTimeout(() => {
        const used = process.cpuUsage(cpu);
        const seconds = (performance.now() - started) / 1000;
        out({
          type: 'measured',
          seconds,
          cpuMs: (used.user + used.system) / 1000,
          // The measuring timer itself is one of them.
          timerCallbacks: timerCallbacks - timers - 1,
          popoverEvents: popoverEvents - events,
          popoverBytes: popoverBytes - bytes,
          connected: Object.values(controller.snapshot().players).filter((p) => p.connection === 'connected')
            .length,
        });
      }, command.ms ?? 60_000);
    }
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`idle core failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
