/**
 * The popover at its real size, 360 × 560, with real scrollbars (Playwright hides them by default; the popover
 * window shows them), in light and dark, in every view and state a new user meets: nothing wider than the
 * window, nothing that scrolls sideways (the document and the view's scroll container), axe 0 — and nothing
 * under the pointer moves because of something the user did not do.
 */
import type { Locator, Page, TestInfo } from '@playwright/test';
import type { AccountState, AppErrorPayload } from '../../main/contract/model';
import { browse } from '../support/account-harness';
import { CHROMIUM_LAUNCH } from '../support/chromium';
import { sampleAccountState, sampleSettings, sampleSnapshot } from '../support/samples';
import type { Demo } from './demo';
import { axeViolations, expect, openPopover, serveRenderer, test, viewButton } from './fixtures';
import { emit, installStubTray, ok, setReply } from './stub-tray';

test.use({
  simArgs: '--players 5 --groups 1+2,3+4,5 --fast',
  launchOptions: { ...CHROMIUM_LAUNCH, ignoreDefaultArgs: ['--hide-scrollbars'] },
});

const SCHEMES = ['light', 'dark'] as const;

interface Fit {
  document: [number, number];
  view: [number, number];
  scrollbar: number;
  wide: string[];
  scrolledSideways: number[];
}

/** Measures the page: widths, the elements that stick out, and whether it can be scrolled sideways at all. */
function measure(page: Page): Promise<Fit> {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const view = document.querySelector('main')!;
    const viewBox = view.getBoundingClientRect();
    const viewRight = viewBox.left + view.clientLeft + view.clientWidth;
    const describe = (el: Element): string => {
      const box = el.getBoundingClientRect();
      const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/)[0]}` : ''}`;
      return `${name} [${Math.round(box.left)}–${Math.round(box.right)}] “${(el.textContent ?? '').trim().slice(0, 40)}”`;
    };
    const wide: string[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const style = getComputedStyle(el);
      // Screen-reader-only text is a clipped 1 px box: it takes no room.
      if (style.position === 'absolute' && style.clipPath.startsWith('inset(50%')) continue;
      const inView = el !== view && view.contains(el) && style.position !== 'fixed';
      const limit = inView ? viewRight : doc.clientWidth;
      if (box.right > limit + 0.5 || box.left < -0.5) wide.push(describe(el));
    }
    // Try to scroll sideways every way a page can be: none may move.
    view.scrollLeft = 60;
    doc.scrollLeft = 60;
    window.scrollTo(60, window.scrollY);
    const scrolledSideways = [view.scrollLeft, doc.scrollLeft, window.scrollX];
    view.scrollLeft = 0;
    return {
      document: [doc.scrollWidth, doc.clientWidth] as [number, number],
      view: [view.scrollWidth, view.clientWidth] as [number, number],
      scrollbar: view.offsetWidth - view.clientWidth,
      wide: wide.slice(0, 10),
      scrolledSideways,
    };
  });
}

/** `show`: what the state is about, scrolled into view for the screenshot (the checks cover the whole page). */
async function expectFits(page: Page, testInfo: TestInfo, state: string, show?: Locator): Promise<void> {
  if (show) await show.scrollIntoViewIfNeeded();
  const path = testInfo.outputPath(`${state}.png`);
  await page.screenshot({ path, animations: 'disabled' });
  await testInfo.attach(state, { path, contentType: 'image/png' });
  const fit = await measure(page);
  expect(fit.wide, `${state}: elements wider than the popover`).toEqual([]);
  expect(fit.document[0], `${state}: the document scrolls sideways`).toBe(fit.document[1]);
  expect(fit.view[0], `${state}: the view scrolls sideways`).toBe(fit.view[1]);
  expect(fit.scrolledSideways, `${state}: a sideways scroll moved something`).toEqual([0, 0, 0]);
  // A sideways swipe on the trackpad moves nothing either.
  await page.mouse.move(180, 300);
  await page.mouse.wheel(120, 0);
  expect((await measure(page)).scrolledSideways, `${state}: swiped sideways`).toEqual([0, 0, 0]);
  expect(await axeViolations(page), `${state}: axe`).toEqual([]);
}

/** Plays the browser on the simulator's consent page and pastes the address it ends on, as a user does. */
async function signIn(page: Page, demo: Demo): Promise<void> {
  const before = demo.stderr.length;
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const line = await expect
    .poll(() => demo.stderr.slice(before).find((l) => l.includes('Sonos sign-in (simulated): open')))
    .toBeTruthy()
    .then(() => demo.stderr.slice(before).find((l) => l.includes('Sonos sign-in (simulated): open'))!);
  const landed = await browse(line.slice(line.indexOf('open ') + 'open '.length).trim());
  await page.getByLabel('If the browser did not come back here, paste the address it ended on').fill(landed);
  await page.getByRole('button', { name: 'Continue' }).click();
}

for (const scheme of SCHEMES) {
  test(`${scheme}: the demo in every view and account state fits 360 × 560 without sideways scrolling`, async ({
    page,
    problems,
    demo,
  }, testInfo) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    await openPopover(page, demo);
    // The view has a real scrollbar, and the header does not lose its width to it.
    expect((await measure(page)).scrollbar).toBeGreaterThan(0);
    await expectFits(page, testInfo, `${scheme}-speakers`);
    for (const toggle of await page.getByRole('button', { name: '2 speakers' }).all()) await toggle.click();
    await expectFits(page, testInfo, `${scheme}-speakers-expanded`);

    // Tabbing through the tabs to Diagnostics shifts nothing (the header kept its width).
    const header = await page.locator('header').boundingBox();
    await viewButton(page, 'Speakers').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Diagnostics', level: 2 })).toBeFocused();
    expect(await page.locator('header').boundingBox()).toEqual(header);
    await expect(page.getByRole('heading', { name: 'Kitchen' })).toBeVisible();
    await expectFits(page, testInfo, `${scheme}-diagnostics`);

    await viewButton(page, 'Settings').click();
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
    await expectFits(
      page,
      testInfo,
      `${scheme}-settings-signed-out`,
      page.getByRole('region', { name: 'Sonos account' }),
    );

    // Signing in: the paste step.
    const before = demo.stderr.length;
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Continue' })).toBeVisible();
    await expectFits(
      page,
      testInfo,
      `${scheme}-settings-signing-in`,
      page.getByRole('region', { name: 'Sonos account' }),
    );
    await expect.poll(() => demo.stderr.length).toBeGreaterThan(before);
    await page.getByRole('button', { name: 'Cancel' }).click();

    // Signed in: the household by its rooms, not its 60-character id (which is in Details, shortened).
    await signIn(page, demo);
    const status = page.getByRole('region', { name: 'Sonos account' }).getByRole('status').first();
    await expect(status).toHaveText(
      'Signed in — the household with Bedroom + 1, Dining Room and Living Room + 1',
    );
    await expect(page.getByText(demo.sim.householdId)).toHaveCount(0);
    await page.getByRole('region', { name: 'Sonos account' }).getByText('Details').click();
    await expect(page.getByRole('region', { name: 'Sonos account' }).locator('dd code')).toHaveText(
      `${demo.sim.householdId.slice(0, 14)}…${demo.sim.householdId.slice(-6)}`,
    );
    await expectFits(
      page,
      testInfo,
      `${scheme}-settings-signed-in`,
      page.getByRole('region', { name: 'Sonos account' }),
    );

    // Sonos withdraws the sign-in; the next look at the account (the page opening again) finds out.
    await demo.post('revokeRefreshTokens');
    await demo.post('expireAllTokens');
    await page.reload();
    await expect(page.getByRole('region')).toHaveCount(3, { timeout: 15_000 });
    await viewButton(page, 'Settings').click();
    const again = page.getByText('Your Sonos sign-in has expired or was withdrawn. Sign in again.');
    await expect(again).toHaveCount(1, { timeout: 15_000 });
    // One sentence, one action.
    await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
    await expectFits(
      page,
      testInfo,
      `${scheme}-settings-needs-sign-in-again`,
      page.getByRole('region', { name: 'Sonos account' }),
    );
    expect(problems).toEqual([]);
  });

  test(`${scheme}: error states fit too — a speaker away, a refused command, a changed certificate`, async ({
    page,
    problems,
    demo,
  }, testInfo) => {
    test.setTimeout(120_000);
    // A speaker that is away (or shows another certificate) cannot serve its art: if the popover asks for it then,
    // main answers 404 and the card keeps its placeholder — Chromium logs the 404, which is expected here and only
    // for art.
    const notFound: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 404) notFound.push(new URL(response.url()).pathname);
    });
    await page.emulateMedia({ colorScheme: scheme });
    await openPopover(page, demo);
    await demo.post('takeOffline', { playerId: (await demo.player('Dining Room')).id });
    const dining = page.getByRole('region', { name: 'Dining Room' });
    await expect(dining.getByText('Dining Room:')).toBeVisible({ timeout: 15_000 });
    await dining.getByRole('button', { name: 'Mute Dining Room' }).click();
    await expect(page.getByRole('alert').first()).toContainText(/./, { timeout: 15_000 });
    await expectFits(page, testInfo, `${scheme}-speaker-away-notice`);
    await page.getByRole('alert').first().getByText('Details').click();
    await expectFits(page, testInfo, `${scheme}-notice-details`);

    await demo.post('setLocalAuth', { enabled: true });
    await demo.post('dropSockets', { playerId: (await demo.player('Living Room')).id });
    await expect(
      page.getByRole('region', { name: 'Living Room + 1' }).getByText(/does not allow local control/),
    ).toHaveCount(1, { timeout: 15_000 });
    await expectFits(
      page,
      testInfo,
      `${scheme}-local-control-refused`,
      page.getByRole('region', { name: 'Living Room + 1' }),
    );
    await demo.post('setLocalAuth', { enabled: false });

    const { id } = await demo.player('Bedroom');
    await demo.post('rotateCertificate', { playerId: id });
    await demo.post('dropSockets', { playerId: id });
    await viewButton(page, 'Diagnostics').click();
    await expect(page.getByRole('button', { name: 'Trust new certificate of Bedroom' })).toBeVisible({
      timeout: 15_000,
    });
    await expectFits(
      page,
      testInfo,
      `${scheme}-diagnostics-certificate-changed`,
      page.getByRole('button', { name: 'Trust new certificate of Bedroom' }),
    );
    expect(notFound.filter((path) => !path.startsWith('/art/'))).toEqual([]);
    expect(problems.filter((p) => !p.includes('status of 404'))).toEqual([]);
    expect(problems.filter((p) => p.includes('status of 404')).length).toBe(notFound.length);
    problems.length = 0;
  });
}

test('certificate fingerprints break between bytes only, never inside one', async ({ page, demo }) => {
  await openPopover(page, demo);
  await viewButton(page, 'Diagnostics').click();
  const fingerprint = page.locator('code.fingerprint').first();
  await expect(fingerprint).toHaveText(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  // Where each line of the rendered fingerprint ends: always after a colon (or at its very end).
  const lines = await fingerprint.evaluate((code) => {
    const text = code.textContent ?? '';
    const range = document.createRange();
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    const tops: { char: string; top: number }[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < (node.textContent ?? '').length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        tops.push({ char: node.textContent![i]!, top: Math.round(range.getBoundingClientRect().top) });
      }
    }
    const ends: string[] = [];
    for (let i = 0; i < tops.length - 1; i++) if (tops[i + 1]!.top > tops[i]!.top) ends.push(tops[i]!.char);
    return { ends, length: text.length };
  });
  expect(lines.ends.length, 'the fingerprint wraps at this width').toBeGreaterThan(0);
  expect(lines.ends.every((char) => char === ':')).toBe(true);
});

test('the “Hotkeys control” select is styled like the other fields', async ({ page, demo }) => {
  await openPopover(page, demo);
  await viewButton(page, 'Settings').click();
  const style = (label: string) =>
    page.getByLabel(label).evaluate((el) => {
      const s = getComputedStyle(el);
      return {
        radius: s.borderRadius,
        border: s.borderTopColor,
        background: s.backgroundColor,
        width: el.getBoundingClientRect().width,
      };
    });
  const select = await style('Hotkeys control');
  const field = await style('Volume up shortcut');
  expect(select).toEqual(field);
});

test('a notice appears over the list: the cards and the slider under the pointer stay where they were', async ({
  page,
  problems,
  demo,
}) => {
  await openPopover(page, demo);
  const cards = () =>
    page
      .getByRole('region')
      .evaluateAll((list) => list.map((c) => c.getBoundingClientRect().toJSON() as unknown));
  const before = await cards();
  const slider = page.getByRole('slider', { name: 'Bedroom + 1 volume', exact: true });
  const box = (await slider.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const start = Number(await slider.inputValue());
  const direction = start > 50 ? 100 : -100;
  // Six notches of the wheel; after the third, a notice appears (a speaker elsewhere fails).
  for (let notch = 0; notch < 6; notch++) {
    if (notch === 3) {
      await demo.post('takeOffline', { playerId: (await demo.player('Dining Room')).id });
      await page
        .getByRole('region', { name: 'Dining Room' })
        .getByRole('button', { name: 'Mute Dining Room' })
        .dispatchEvent('click');
      await expect(page.getByRole('alert').first()).toContainText(/./, { timeout: 15_000 });
      // The cards did not move, and the pointer is still over the slider.
      expect(await cards()).toEqual(before);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    }
    await page.mouse.wheel(0, direction);
    await page.waitForTimeout(120);
  }
  // Every notch reached the slider: 6 steps of 5.
  await expect(slider).toHaveValue(String(Math.min(100, Math.max(0, start - Math.sign(direction) * 30))));
  expect(problems).toEqual([]);
});

test('a stale token and a demo stopped under the open page both say “Not connected”, with a reason and Retry', async ({
  page,
  demo,
}, testInfo) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  const wrong = new URL(demo.url);
  wrong.searchParams.set('token', 'not-the-token');
  await page.goto(wrong.toString());
  const status = page.getByTestId('not-connected').getByRole('status');
  await expect(status).toContainText('Not connected to Tray for Sonos.', { timeout: 10_000 });
  await expect(status).toContainText('This page’s address is not the running demo’s');
  await expect(page.getByText('Looking for speakers…')).toHaveCount(0);
  await expectFits(page, testInfo, 'not-connected-token');

  await openPopover(page, demo);
  await demo.stop();
  await expect(status).toContainText('The demo is not running any more.', { timeout: 10_000 });
  // Nothing stale stays on screen, and nothing can be sent into the void.
  await expect(page.getByRole('region')).toHaveCount(0);
  await expect(page.getByRole('slider')).toHaveCount(0);
  const retry = page.getByRole('button', { name: 'Retry' });
  await retry.click();
  await expect(status).toContainText('The demo is not running any more.', { timeout: 10_000 });
  await expect(retry).toBeEnabled();
  await expectFits(page, testInfo, 'not-connected-stopped');
});

/** States the demo cannot reach on demand, with a scripted `window.tray`: the account's errors, refusals. */
test('stub: an account error with Details, a refused address and a refused shortcut fit and say what is wrong', async ({
  page,
  problems,
}, testInfo) => {
  const server = await serveRenderer();
  try {
    const denied: AppErrorPayload = {
      code: 'auth-cancelled',
      message:
        'Access was denied on the Sonos sign-in page, so Tray for Sonos is not signed in. Sign in again to allow it.',
      retryable: true,
      details: {
        code: 'access_denied',
        description: 'The user denied the request',
        uri: 'https://docs.example.test/a-very-long-address/that/keeps/going/and/going/without/a/break',
        technical: null,
      },
    };
    const state: AccountState = {
      ...sampleAccountState(),
      client: {
        clientId: 'made-up-client-id',
        redirectUri: 'https://bounce.example.test/sonos/',
        hasSecret: true,
      },
      error: denied,
    };
    await page.route(
      (url) => url.hostname !== '127.0.0.1',
      (route) => route.abort(),
    );
    await installStubTray(page, {
      'household:getSnapshot': ok({ ...sampleSnapshot(), discovery: 'idle' }),
      'settings:get': ok(sampleSettings()),
      'account:getState': ok(state),
    });
    for (const scheme of SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(server.url);
      await viewButton(page, 'Settings').click();
      await page.getByRole('region', { name: 'Sonos account' }).getByText('Details').click();
      await expect(page.getByText('The user denied the request')).toBeVisible();
      await setReply(page, 'settings:update', {
        ok: false,
        error: {
          code: 'invalid-request',
          message:
            '“192.168.1.300” is not a valid IP address: it needs four numbers from 0 to 255, such as 192.168.1.20.',
          retryable: false,
          details: null,
        },
      });
      await page.getByLabel('Add a speaker by IP address').fill('192.168.1.300');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await expect(page.getByText('is not a valid IP address: it needs four numbers')).toBeVisible();
      await expectFits(
        page,
        testInfo,
        `${scheme}-stub-account-error-and-refusals`,
        page.getByText('The user denied the request'),
      );
      await emit(page, 'account:state', { ...state, status: 'needsReauth', error: null });
      await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);
    }
    expect(problems).toEqual([]);
  } finally {
    await server.close();
  }
});
