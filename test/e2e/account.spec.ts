/**
 * The Sonos account section in every state of the contract's AccountState, with the real popover bundle and a
 * scripted `window.tray` (the core's sign-in is built separately; in the demo it answers `auth-not-configured`).
 */
import type { Page } from '@playwright/test';
import type { AccountState, AppErrorPayload } from '../../main/contract/model';
import { sampleAccountState, sampleSettings, sampleSnapshot } from '../support/samples';
import { axeViolations, expect, serveRenderer, test, viewButton } from './fixtures';
import { calls, emit, installStubTray, ok, setReply, type StubReplies } from './stub-tray';

let server: Awaited<ReturnType<typeof serveRenderer>>;
test.beforeAll(async () => {
  server = await serveRenderer();
});
test.afterAll(async () => {
  await server.close();
});
test.beforeEach(async ({ page }) => {
  await page.route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => route.abort(),
  );
});

const CLIENT = {
  clientId: 'made-up-client-id',
  clientSecret: 'made-up-secret',
  redirectUri: 'https://bounce.example.test/sonos/',
};

function account(overrides: Partial<AccountState>): AccountState {
  return { ...sampleAccountState(), ...overrides };
}

async function openSettings(page: Page, replies: StubReplies): Promise<void> {
  const snapshot = sampleSnapshot();
  for (const group of Object.values(snapshot.groups)) group.nowPlaying = null;
  await installStubTray(page, {
    'household:getSnapshot': ok(snapshot),
    'settings:get': ok(sampleSettings()),
    ...replies,
  });
  await page.goto(server.url);
  await viewButton(page, 'Settings').click();
  await expect(page.getByRole('heading', { name: 'Sonos account' })).toBeVisible();
}

const awaiting = account({
  status: 'awaitingBrowser',
  client: { clientId: CLIENT.clientId, redirectUri: CLIENT.redirectUri, hasSecret: true },
  authorizeUrl: 'https://auth.example.test/login/v3/oauth?client_id=made-up-client-id',
  pendingExpiresAt: Date.now() + 600_000,
});

test('signing in: the integration is saved, the browser step offers the paste field, Cancel and a reopen', async ({
  page,
  problems,
}) => {
  await openSettings(page, { 'account:getState': ok(account({})), 'account:signIn': ok(awaiting) });
  await page.getByLabel('Key (client ID)').fill(CLIENT.clientId);
  await page.getByLabel('Secret').fill(CLIENT.clientSecret);
  await page.getByLabel('Redirect address').fill(CLIENT.redirectUri);
  await setReply(page, 'account:configure', ok(account({ client: { ...awaiting.client } })));
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.getByRole('status').filter({ hasText: 'Continue in your browser' })).toBeVisible();
  expect(
    (await calls(page)).filter((c) => c.channel.startsWith('account:') && c.channel !== 'account:getState'),
  ).toEqual([
    { channel: 'account:configure', payload: CLIENT },
    { channel: 'account:signIn', payload: undefined },
  ]);
  expect(await axeViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Open the sign-in page again' }).click();
  expect((await calls(page, 'app:openLink')).map((c) => c.payload)).toEqual([{ url: awaiting.authorizeUrl }]);

  const pasted = 'https://bounce.example.test/sonos/?code=made-up-code&state=made-up-state';
  await setReply(
    page,
    'account:submitCallback',
    ok(account({ status: 'exchanging', client: awaiting.client })),
  );
  await page.getByLabel('If the browser did not come back here, paste the address it ended on').fill(pasted);
  await page.getByRole('button', { name: 'Continue' }).click();
  expect((await calls(page, 'account:submitCallback')).map((c) => c.payload)).toEqual([{ url: pasted }]);
  await expect(page.getByRole('status').filter({ hasText: 'Finishing sign-in…' })).toBeVisible();

  await setReply(page, 'account:cancelSignIn', ok(account({ client: awaiting.client })));
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  // The stored secret is never shown; the field says one is saved.
  await expect(page.getByLabel('Secret')).toHaveValue('');
  await expect(page.getByLabel('Secret')).toHaveAttribute('placeholder', 'Saved — type to replace');
  await expect(page.getByLabel('Key (client ID)')).toHaveValue(CLIENT.clientId);
  expect(problems).toEqual([]);
});

test('a failed sign-in shows its message with a Details disclosure; Sign in is the one way on', async ({
  page,
  problems,
}) => {
  const refused: AppErrorPayload = {
    code: 'auth-refused',
    message: 'Sonos did not allow the sign-in.',
    retryable: true,
    details: {
      code: 'access_denied',
      description: 'The user denied the request',
      uri: 'https://docs.example.test/oauth-errors',
      technical: null,
    },
  };
  await openSettings(page, {
    'account:getState': ok(account({ client: awaiting.client, error: refused })),
    'account:signIn': ok(awaiting),
  });
  await expect(page.getByText('Sonos did not allow the sign-in.')).toBeVisible();
  const details = page.getByText('Details', { exact: true });
  await expect(page.getByText('access_denied')).toBeHidden();
  await details.click();
  await expect(page.getByText('access_denied')).toBeVisible();
  await expect(page.getByText('The user denied the request')).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'https://docs.example.test/oauth-errors' }).click();
  expect((await calls(page, 'app:openLink')).map((c) => c.payload)).toEqual([
    { url: 'https://docs.example.test/oauth-errors' },
  ]);

  // No second button for the same action: Sign in starts again.
  await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Continue in your browser' })).toBeVisible();
  expect(await calls(page, 'account:signIn')).toHaveLength(1);

  // A request main refuses (here: a bad redirect address) is shown the same way, next to the form.
  await setReply(page, 'account:cancelSignIn', ok(account({ client: awaiting.client })));
  await page.getByRole('button', { name: 'Cancel' }).click();
  await setReply(page, 'account:configure', {
    ok: false,
    error: {
      code: 'invalid-request',
      message: 'Enter the full https:// address you registered',
      retryable: false,
      details: null,
    },
  });
  await page.getByLabel('Redirect address').fill('bounce');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Enter the full https:// address you registered')).toBeVisible();
  // Retrying the same refused request would only fail again: the form is the way out.
  await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  expect(await calls(page, 'account:signIn')).toHaveLength(1);
  expect(problems).toEqual([]);
});

test('signed in: the status with the households, Sign out; main’s pushes update the section', async ({
  page,
  problems,
}) => {
  const signedIn = account({
    status: 'signedIn',
    client: awaiting.client,
    expiresAt: Date.now() + 86_400_000,
    households: [{ id: 'Sonos_made-up', name: 'Home' }],
  });
  await openSettings(page, {
    'account:getState': ok(signedIn),
    'account:signOut': ok(account({ client: awaiting.client })),
  });
  await expect(page.getByRole('status').filter({ hasText: 'Signed in — Home' })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(await calls(page, 'account:signOut')).toHaveLength(1);

  // Main says the tokens need a new sign-in (pushed, not asked for).
  await emit(page, 'account:state', account({ status: 'needsReauth', client: awaiting.client }));
  await expect(page.getByText('Your Sonos account needs you to sign in again.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  expect(problems).toEqual([]);
});

test('without a keyring the user can opt in to plaintext storage', async ({ page, problems }) => {
  await openSettings(page, {
    'account:getState': ok(account({ canEncrypt: false, storage: 'memory' })),
    'account:setInsecureStorage': ok(account({ canEncrypt: false, storage: 'plaintext' })),
  });
  const optIn = page.getByRole('checkbox', { name: /Keep me signed in without a keyring/ });
  await expect(optIn).not.toBeChecked();
  await optIn.check();
  await expect(optIn).toBeChecked();
  expect((await calls(page, 'account:setInsecureStorage')).map((c) => c.payload)).toEqual([
    { allowed: true },
  ]);
  expect(problems).toEqual([]);
});

test('when the app has no sign-in, the section says so and Retry asks again', async ({ page, problems }) => {
  await openSettings(page, {
    'account:getState': {
      ok: false,
      error: {
        code: 'auth-not-configured',
        message: 'Sonos account sign-in is not available here.',
        retryable: false,
        details: null,
      },
    },
  });
  await expect(page.getByText('Sonos account sign-in is not available here.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(0);
  await setReply(page, 'account:getState', ok(account({})));
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(await calls(page, 'account:getState')).toHaveLength(2);
  expect(problems).toEqual([]);
});
