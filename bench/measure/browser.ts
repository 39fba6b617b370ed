/**
 * The popover in Debian Chromium against the demo's composition (the simulator, the demo's core and account, and
 * the bridge — what `npm run demo` runs; here the simulator runs in this process so the frame's arrival at the
 * player is timed on our clock):
 * - slider → frame: from a slider `input` event in the page to the command frame arriving at the player;
 * - event → UI: from the simulator changing a volume ("another controller") to the slider showing it.
 * Page and Node clocks are both wall-clock based; their offset is measured by round trips and taken out.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_LAUNCH } from '../../test/support/chromium';
import { startBridgeServer } from '../../main/bridge/bridge-server';
import { createDemoCore } from '../../main/bridge/demo-core';
import { silentLogger } from '../../main/core/logger';
import { createConfBackend } from '../../main/core/store/conf-backend';
import { DataStore } from '../../main/core/store/data-store';
import { startSimulator } from '../../test/simulator';
import { percentile, sleep, summary } from '../stats';

const nodeNow = (): number => performance.timeOrigin + performance.now();

/** What the page functions use of the browser's globals (this file is type-checked for Node, without the DOM). */
interface PageGlobals {
  Event: new (type: string, init?: { bubbles?: boolean }) => unknown;
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void };
  __seen: Map<string, number>;
}
interface PageElement {
  value: string;
  dispatchEvent(event: unknown): boolean;
  getAttribute(name: string): string | null;
}

export async function measureBrowser(
  rendererDir: string,
  rounds = 300,
): Promise<{ sliderToFrame: { p50: number; p99: number }; eventToUi: { p50: number; p99: number } }> {
  const sim = await startSimulator({
    players: 5,
    groups: '1+2,3+4,5',
    holdBackMs: 0,
    applyDelayMs: 0,
    seed: 3,
  });
  const demo = await createDemoCore({
    sim: sim.info,
    store: new DataStore(createConfBackend(mkdtempSync(join(tmpdir(), 'tfs-bench-demo-')))),
    logger: silentLogger,
  });
  demo.controller.start();
  await demo.controller.whenComplete(10_000);
  const bridge = await startBridgeServer({ core: demo.core, rendererDir, logger: silentLogger });
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    const page = await browser.newPage({ viewport: { width: 360, height: 560 } });
    await page.goto(bridge.url);
    const group = Object.values(demo.controller.snapshot().groups).sort((a, b) =>
      a.name.localeCompare(b.name),
    )[0]!;
    const slider = page
      .getByRole('region', { name: group.name })
      .getByRole('slider', { name: `${group.name} volume` });
    await slider.waitFor({ state: 'visible', timeout: 15_000 });

    // Page clock minus Node clock, from the fastest of many round trips.
    const offsets: { offset: number; rtt: number }[] = [];
    for (let i = 0; i < 40; i++) {
      const before = nodeNow();
      const pageNow = await page.evaluate(() => performance.timeOrigin + performance.now());
      const after = nodeNow();
      offsets.push({ offset: pageNow - (before + after) / 2, rtt: after - before });
    }
    const fastest = offsets
      .sort((a, b) => a.rtt - b.rtt)
      .slice(0, 5)
      .map((o) => o.offset);
    const offset = percentile(fastest, 50);

    // Slider → frame.
    let arrival: ((at: number) => void) | null = null;
    const off = sim.onCommand((command) => {
      if (command.command === 'setVolume' && command.namespace.startsWith('groupVolume') && arrival) {
        arrival(performance.timeOrigin + command.receivedAt);
      }
    });
    const handle = await slider.elementHandle();
    const sliderSamples: number[] = [];
    for (let i = 0; i < rounds + 20; i++) {
      const value = 10 + (i % 80);
      const arrived = new Promise<number>((resolve) => (arrival = resolve));
      const sentInPage = await handle!.evaluate((element, v) => {
        const page = globalThis as unknown as PageGlobals;
        const input = element as unknown as PageElement;
        const at = performance.timeOrigin + performance.now();
        input.value = String(v);
        input.dispatchEvent(new page.Event('input', { bubbles: true }));
        return at;
      }, value);
      const at = await Promise.race([arrived, sleep(2_000).then(() => Number.NaN)]);
      arrival = null;
      if (i >= 20 && Number.isFinite(at)) sliderSamples.push(at - (sentInPage - offset));
      await sleep(20);
    }
    off();
    await handle!.evaluate((element) => {
      const page = globalThis as unknown as PageGlobals;
      (element as unknown as PageElement).dispatchEvent(new page.Event('change', { bubbles: true }));
    });
    await sleep(1_600); // past the slider's echo window: foreign values show at once again

    // Event → UI: the time the slider's text says the new value, seen by a MutationObserver in the page.
    await handle!.evaluate((element) => {
      const page = globalThis as unknown as PageGlobals;
      const seen = new Map<string, number>();
      page.__seen = seen;
      new page.MutationObserver(() => {
        const text = (element as unknown as PageElement).getAttribute('aria-valuetext') ?? '';
        if (!seen.has(text)) seen.set(text, performance.timeOrigin + performance.now());
      }).observe(element, { attributes: true, attributeFilter: ['aria-valuetext'] });
    });
    const eventSamples: number[] = [];
    for (let i = 0; i < rounds + 20; i++) {
      const value = 10 + ((i * 37) % 80);
      const simGroupId = sim.state().groups.find((g) => g.coordinatorId === group.coordinatorId)!.id;
      const before = nodeNow();
      sim.control.setGroupVolume(simGroupId, value);
      const text = `${group.name} volume ${value}%`;
      const shownAt = await page
        .waitForFunction((t) => (globalThis as unknown as PageGlobals).__seen.get(t) ?? null, text, {
          timeout: 2_000,
          polling: 5,
        })
        .then((h) => h.jsonValue() as Promise<number>)
        .catch(() => Number.NaN);
      if (i >= 20 && Number.isFinite(shownAt)) eventSamples.push(shownAt - offset - before);
      await handle!.evaluate(() => (globalThis as unknown as PageGlobals).__seen.clear());
      await sleep(20);
    }
    const slider50 = summary(sliderSamples);
    const event50 = summary(eventSamples);
    if (sliderSamples.length < rounds * 0.9 || eventSamples.length < rounds * 0.9) {
      throw new Error(`too many lost samples: slider ${sliderSamples.length}, event ${eventSamples.length}`);
    }
    return {
      sliderToFrame: { p50: slider50.p50, p99: slider50.p99 },
      eventToUi: { p50: event50.p50, p99: event50.p99 },
    };
  } finally {
    await browser.close();
    await bridge.close();
    demo.stop();
    await sim.stop();
  }
}
