/**
 * `npm run demo`'s core against the in-process simulator: Settings can sign in to the simulated Sonos cloud by
 * pasting the address the consent page sends the browser to, through the same bridge the browser popover uses.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { BRIDGE_PATH, startBridgeServer, type BridgeServer } from '../../../main/bridge/bridge-server';
import { createDemoCore, SIM_CLIENT, type DemoCore } from '../../../main/bridge/demo-core';
import { createLogger } from '../../../main/core/logger';
import { DataStore, memoryBackend } from '../../../main/core/store/data-store';
import { DEFAULT_CLIENT, startSimulator, type Simulator } from '../../simulator';
import { browse } from '../../support/account-harness';

let sim: Simulator | null = null;
let demo: DemoCore | null = null;
let bridge: BridgeServer | null = null;
afterEach(async () => {
  await bridge?.close();
  demo?.stop();
  await sim?.stop();
  sim = demo = bridge = null;
});

function connect(server: BridgeServer) {
  const origin = `http://127.0.0.1:${server.port}`;
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}${BRIDGE_PATH}?token=${server.token}`, {
    headers: { origin },
  });
  const events: { event: string; payload: unknown }[] = [];
  const results = new Map<number, (value: unknown) => void>();
  let id = 0;
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as {
      type: string;
      id?: number;
      result?: unknown;
      event?: string;
      payload?: unknown;
    };
    if (message.type === 'event') events.push({ event: message.event!, payload: message.payload });
    else results.get(message.id!)?.(message.result);
  });
  return {
    ws,
    events,
    opened: new Promise((resolve) => ws.once('open', resolve)),
    invoke(
      channel: string,
      payload?: unknown,
    ): Promise<{ ok: boolean; value?: Record<string, unknown>; error?: unknown }> {
      const n = ++id;
      return new Promise((resolve) => {
        results.set(n, resolve as (value: unknown) => void);
        ws.send(JSON.stringify({ type: 'invoke', id: n, channel, payload }));
      });
    },
  };
}

describe('demo core', () => {
  it('uses the simulator’s made-up integration', () => {
    expect(SIM_CLIENT).toEqual({
      clientId: DEFAULT_CLIENT.clientId,
      clientSecret: DEFAULT_CLIENT.clientSecret,
      redirectUri: DEFAULT_CLIENT.redirectUris[0],
    });
  });

  it('signs in through the bridge by pasting the redirected address; the page being open drives polling', async () => {
    sim = await startSimulator({ players: 3, groups: '1+2,3', holdBackMs: 0, applyDelayMs: 0, seed: 3 });
    const opened: string[] = [];
    demo = await createDemoCore({
      sim: sim.info,
      store: new DataStore(memoryBackend()),
      logger: createLogger(() => {}),
      openExternal: async (url) => void opened.push(url),
    });
    demo.controller.start();
    bridge = await startBridgeServer({
      core: demo.core,
      rendererDir: mkdtempSync(join(tmpdir(), 'tfs-r-')),
      logger: createLogger(() => {}),
    });
    expect(demo.account.poller.isPolling).toBe(false);
    const page = connect(bridge);
    await page.opened;
    await vi.waitFor(() => expect(demo!.account.poller.isPolling).toBe(true), { timeout: 5_000 });

    const initial = await page.invoke('account:getState');
    expect(initial.value).toMatchObject({
      status: 'signedOut',
      storage: 'memory',
      client: {
        clientId: 'sim-client-id',
        hasSecret: true,
        redirectUri: 'https://bounce.example.test/sonos/',
      },
    });
    const started = await page.invoke('account:signIn');
    expect(started.value).toMatchObject({ status: 'awaitingBrowser' });
    expect(opened).toEqual([started.value!.authorizeUrl]);
    const landed = await browse(started.value!.authorizeUrl as string);
    const done = await page.invoke('account:submitCallback', { url: landed });
    expect(done.value).toMatchObject({
      status: 'signedIn',
      households: [{ id: sim.householdId, name: null }],
    });
    await vi.waitFor(
      () =>
        expect(
          page.events.some(
            (e) => e.event === 'account:state' && (e.payload as { status: string }).status === 'signedIn',
          ),
        ).toBe(true),
      { timeout: 5_000 },
    );
    page.ws.close();
    await vi.waitFor(() => expect(demo!.account.poller.isPolling).toBe(false), { timeout: 5_000 });
  });

  it('shows the simulator’s album art through the bridge: http and https from each coordinator, as local paths', async () => {
    // Two groups: a playlist (art over http from the coordinator's :1400-like port) and the radio station (its logo
    // over https from the coordinator's own port, checked against its pinned certificate).
    sim = await startSimulator({ players: 3, groups: '1+2,3', holdBackMs: 0, applyDelayMs: 0, seed: 4 });
    demo = await createDemoCore({
      sim: sim.info,
      store: new DataStore(memoryBackend()),
      logger: createLogger(() => {}),
    });
    demo.controller.start();
    await demo.controller.whenComplete();
    const art = demo.art;
    bridge = await startBridgeServer({
      core: demo.core,
      rendererDir: mkdtempSync(join(tmpdir(), 'tfs-r-')),
      logger: createLogger(() => {}),
      art: (path) => art.serve(path),
    });
    const original = demo.controller.snapshot();
    const urls = Object.values(original.groups).map((g) => g.nowPlaying?.artUrl);
    expect(urls.some((u) => u?.startsWith('http://127.0.0.1:'))).toBe(true);
    expect(urls.some((u) => u?.startsWith('https://127.0.0.1:'))).toBe(true);

    const page = connect(bridge);
    await page.opened;
    const snapshot = (await page.invoke('household:getSnapshot')).value as unknown as {
      groups: Record<string, { nowPlaying: { artUrl: string | null } | null }>;
    };
    const paths = Object.values(snapshot.groups).map((g) => g.nowPlaying?.artUrl);
    expect(paths).toHaveLength(2);
    for (const path of paths) {
      expect(path).toMatch(/^\/art\/[A-Za-z0-9_-]+$/);
      const response = await fetch(`http://127.0.0.1:${bridge.port}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/svg+xml');
      expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
      expect(await response.text()).toMatch(/^<svg /);
    }
    expect((await fetch(`http://127.0.0.1:${bridge.port}/art/not-a-token`)).status).toBe(404);
    // No remote URL reaches the popover anywhere in the household: favorites' art is a path too.
    await vi.waitFor(async () => {
      const full = JSON.stringify((await page.invoke('household:getSnapshot')).value);
      expect(full).toMatch(/"artUrl":"\/art\//);
      const urls = [...full.matchAll(/"artUrl":("[^"]*"|null)/g)].map((m) => m[1]);
      expect(urls.length).toBeGreaterThan(2);
      for (const url of urls) expect(url).toMatch(/^("\/art\/[A-Za-z0-9_-]+"|null)$/);
    });
    const pageAnswer = await fetch(`http://127.0.0.1:${bridge.port}/`);
    expect(pageAnswer.headers.get('content-security-policy')).toContain("img-src 'self' data:;");
    page.ws.close();
  });
});
