/**
 * Fuzz: malformed, random, truncated and oversized answers from the token endpoint and the Sonos cloud, and
 * random callback addresses. Every call must end in a value or a typed `AppError` the UI can show — never another
 * exception, never an unhandled rejection — and no callback with a state we did not issue may reach the token
 * endpoint.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountManager } from '../../../main/core/account/account-manager';
import { parseCallback } from '../../../main/core/account/callback';
import { TokenVault } from '../../../main/core/account/token-vault';
import { DataStore, memoryBackend } from '../../../main/core/store/data-store';
import { fakeRequester, json } from '../../support/fake-requester';
import { fakeSecretStorage } from '../../support/fake-secret-storage';
import { ManualClock } from '../../support/manual-clock';
import { TokenClient } from '../../../main/core/account/token-client';
import { AppError } from '../../../main/core/errors';
import type { HttpRequester, HttpResponse } from '../../../main/core/http-requester';
import { RequestFailure } from '../../../main/core/http-requester';
import { silentLogger } from '../../../main/core/logger';
import { CloudClient } from '../../../main/core/sonos/cloud/cloud-client';
import { ERROR_CODES } from '../../../main/contract/model';
import { REMOTE_INPUTS, SEED } from '../../support/fuzz';

const text = fc.string({ maxLength: 60 });
const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        access_token: fc.oneof(text, fc.integer(), fc.constant(null)),
        token_type: fc.oneof(fc.constantFrom('Bearer', 'bearer', 'MAC'), text),
        expires_in: fc.oneof(fc.integer(), fc.double(), text, fc.constant(null)),
        refresh_token: fc.oneof(text, fc.constant(null)),
        scope: text,
        error: fc.oneof(
          fc.constantFrom('invalid_grant', 'invalid_client', 'invalid_request', 'access_denied'),
          text,
        ),
        error_description: text,
        error_uri: fc.oneof(fc.webUrl(), text),
        errorCode: fc.oneof(fc.constantFrom('ERROR_RESOURCE_GONE', 'ERROR_INVALID_PARAMETER'), text),
        reason: text,
        fault: fc.dictionary(text, text),
        households: fc.oneof(fc.array(fc.record({ id: fc.oneof(text, fc.integer()) })), text),
        groups: fc.oneof(fc.array(fc.dictionary(text, text)), text),
        players: fc.oneof(fc.array(fc.dictionary(text, text)), text),
        volume: fc.oneof(fc.integer(), text),
        muted: fc.oneof(fc.boolean(), text),
        playbackState: text,
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
);
const body = fc.oneof(
  { weight: 5, arbitrary: jsonish },
  { weight: 1, arbitrary: jsonish.chain((t) => fc.nat({ max: t.length }).map((n) => t.slice(0, n))) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', '<html><body>502 Bad Gateway</body></html>', 'null', '[]', '{}'),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
);
const answer: fc.Arbitrary<HttpResponse | RequestFailure> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.record({
      status: fc.oneof(
        fc.constantFrom(200, 204, 400, 401, 403, 404, 410, 429, 500, 502, 503),
        fc.integer({ min: 100, max: 599 }),
      ),
      headers: fc.oneof(
        fc.constant({ 'content-type': 'application/json' }),
        fc.constant({ 'content-type': 'text/html' }),
        fc.constant({}),
        fc.dictionary(
          fc.string({ maxLength: 10 }).map((s) => s.toLowerCase()),
          text,
        ),
      ),
      text: body,
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('timeout', 'network', 'too-large')
      .map((kind) => new RequestFailure(kind as never, 'fuzz')),
  },
);

/** A requester that answers whatever the fuzzer says. */
function scripted(next: () => HttpResponse | RequestFailure): HttpRequester {
  return async () => {
    const response = next();
    if (response instanceof RequestFailure) throw response;
    return response;
  };
}

/** The only acceptable outcomes: a value, or a typed error with a known code and a message for people. */
async function outcome(run: () => Promise<unknown>): Promise<'value' | 'error'> {
  try {
    await run();
    return 'value';
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(ERROR_CODES).toContain(appError.code);
    expect(appError.message.length).toBeGreaterThan(0);
    return 'error';
  }
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
beforeAll(() => void process.on('unhandledRejection', onUnhandled));
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

const CLIENT = { clientId: 'made-up-client', clientSecret: 'made-up-secret' };

describe(`fuzz: ${REMOTE_INPUTS} bad answers and callbacks from the cloud side`, () => {
  it('the token endpoint: exchange and refresh end in tokens or a typed error', async () => {
    const answers = fc.sample(answer, { numRuns: REMOTE_INPUTS, seed: SEED });
    let i = 0;
    const client = new TokenClient({
      endpoints: { tokenUrl: 'http://127.0.0.1:9/login/v3/oauth/access' },
      requester: scripted(() => answers[i++ % answers.length]!),
      logger: silentLogger,
      timeoutMs: 1_000,
    });
    const seen = { value: 0, error: 0 };
    for (let n = 0; n < answers.length; n++) {
      const result =
        n % 2 === 0
          ? await outcome(() =>
              client.exchangeCode(CLIENT, { code: 'made-up-code', redirectUri: 'https://x.test/' }),
            )
          : await outcome(() => client.refresh(CLIENT, 'made-up-refresh-token'));
      seen[result] += 1;
    }
    expect(seen.error).toBeGreaterThan(0);
  });

  it('the Sonos cloud: every call ends in a value or a typed error', async () => {
    const answers = fc.sample(answer, { numRuns: REMOTE_INPUTS, seed: SEED + 1 });
    let i = 0;
    let refreshes = 0;
    const cloud = new CloudClient({
      apiBase: 'http://127.0.0.1:9/control/api/v1',
      auth: {
        isSignedIn: () => true,
        householdIds: () => ['Sonos_Fuzz'],
        accessToken: async () => 'made-up-access-token',
        refreshAfterRejection: async () => {
          refreshes += 1;
          return 'made-up-access-token-2';
        },
      },
      requester: scripted(() => answers[i++ % answers.length]!),
      logger: silentLogger,
      timeoutMs: 1_000,
    });
    const calls: (() => Promise<unknown>)[] = [
      () => cloud.households(),
      () => cloud.groups('Sonos_Fuzz'),
      () => cloud.groupVolume('RINCON_A:1'),
      () => cloud.setGroupVolume('RINCON_A:1', 30),
      () => cloud.adjustGroupVolume('RINCON_A:1', -5),
      () => cloud.setGroupMute('RINCON_A:1', true),
      () => cloud.playback('RINCON_A:1', 'togglePlayPause'),
      () => cloud.playbackStatus('RINCON_A:1'),
      () => cloud.metadata('RINCON_A:1'),
      () => cloud.playerVolume('RINCON_A'),
      () => cloud.setPlayerVolume('RINCON_A', 12),
      () => cloud.setPlayerMute('RINCON_A', false),
    ];
    for (let n = 0; i < answers.length; n++) await outcome(calls[n % calls.length]!);
    // A 401 is answered by one refresh at most, never a loop.
    expect(refreshes).toBeLessThanOrEqual(answers.length);
  });

  it('callback addresses: parsing never throws, and finds only what is there', () => {
    const address = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc
        .record({
          code: fc.option(text, { nil: undefined }),
          state: fc.option(text, { nil: undefined }),
          error: fc.option(text, { nil: undefined }),
          error_description: fc.option(text, { nil: undefined }),
          error_uri: fc.option(fc.oneof(fc.webUrl(), text), { nil: undefined }),
        })
        .map((params) => {
          const query = new URLSearchParams(
            Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined),
          ).toString();
          return `io.github.trayforsonos://oauth/callback?${query}`;
        }),
      fc.constantFrom(
        '',
        '?',
        'io.github.trayforsonos://',
        'javascript:alert(1)',
        `https://x.test/?${'a'.repeat(9000)}`,
      ),
    );
    fc.assert(
      fc.property(address, (input) => {
        const parsed = parseCallback(input);
        if (parsed.ok) {
          // Something to act on was really there (a state, a code or an error).
          expect(parsed.params.state ?? parsed.params.code ?? parsed.params.error).not.toBeNull();
        } else {
          expect(parsed.error).toBeInstanceOf(AppError);
        }
      }),
      { numRuns: REMOTE_INPUTS, seed: SEED },
    );
  });

  it('callbacks against a pending sign-in: only our own state is ever exchanged, details stay safe', async () => {
    const clock = new ManualClock();
    const fake = fakeRequester();
    fake.answer(json(400, { error: 'invalid_grant' }));
    const logger = silentLogger;
    const opened: string[] = [];
    const manager = new AccountManager({
      vault: new TokenVault({ store: new DataStore(memoryBackend()), storage: fakeSecretStorage(), logger }),
      tokenClient: new TokenClient({
        endpoints: { tokenUrl: 'https://auth.example.test/token' },
        requester: fake.requester,
        logger,
        now: () => clock.now(),
      }),
      endpoints: { authorizeUrl: 'https://auth.example.test/authorize' },
      opener: { openExternal: async (url) => void opened.push(url) },
      logger,
      clock,
    });
    await manager.configure({
      clientId: 'made-up-id',
      clientSecret: 'made-up-secret',
      redirectUri: 'https://b.test/',
    });
    const params = fc.record(
      {
        state: fc.oneof(fc.constant('OURS'), text),
        code: text,
        error: fc.oneof(fc.constantFrom('access_denied', 'invalid_scope', 'server_error'), text),
        error_description: text,
        error_uri: fc.oneof(
          fc.webUrl(),
          fc.constantFrom('javascript:alert(1)', 'http://x.test/', 'file:///etc'),
          text,
        ),
      },
      { requiredKeys: [] },
    );
    const samples = fc.sample(params, { numRuns: Math.min(REMOTE_INPUTS, 2_000), seed: SEED + 2 });
    let exchanges = 0;
    for (const sample of samples) {
      await manager.signIn();
      const ours = new URL(opened.at(-1)!).searchParams.get('state')!;
      const query = new URLSearchParams(
        Object.entries(sample).map(([k, v]): [string, string] => [
          k,
          k === 'state' && v === 'OURS' ? ours : String(v),
        ]),
      );
      const before = fake.requests.length;
      await manager.submitCallback(`io.github.trayforsonos://oauth/callback?${query}`).catch(() => {});
      const asked = fake.requests.length - before;
      const state = manager.state();
      if (asked > 0) {
        exchanges += 1;
        // Exchanged only with our state, a code and no error (an empty value counts as none).
        expect(query.get('state')).toBe(ours);
        expect((query.get('code') ?? '').trim()).not.toBe('');
        expect((query.get('error') ?? '').trim()).toBe('');
      }
      const uri = state.error?.details?.uri ?? null;
      expect(uri === null || uri.startsWith('https://')).toBe(true);
      await manager.cancelSignIn();
    }
    expect(exchanges).toBeGreaterThan(0);
  });
});
