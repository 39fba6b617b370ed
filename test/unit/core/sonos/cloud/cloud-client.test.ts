import { describe, expect, it } from 'vitest';
import type { CloudAuth } from '../../../../../main/core/account/account-manager';
import { CloudClient, CloudError, readCloudError } from '../../../../../main/core/sonos/cloud/cloud-client';
import { RequestFailure } from '../../../../../main/core/http-requester';
import { createLogger } from '../../../../../main/core/logger';
import { fakeRequester, json, text } from '../../../../support/fake-requester';

function setup() {
  const fake = fakeRequester();
  let token = 'token-1';
  const refreshed: string[] = [];
  const auth: CloudAuth = {
    isSignedIn: () => true,
    householdIds: () => ['Sonos_H1'],
    accessToken: async () => token,
    refreshAfterRejection: async (rejected) => {
      refreshed.push(rejected);
      token = `token-${refreshed.length + 1}`;
      return token;
    },
  };
  const client = new CloudClient({
    apiBase: 'https://api.example.test/control/api/v1/',
    auth,
    requester: fake.requester,
    logger: createLogger(() => {}),
  });
  /** A new sign-in: a token that has not been turned down. */
  const signIn = (fresh: string): void => {
    token = fresh;
  };
  return { fake, client, refreshed, signIn };
}

async function failure(promise: Promise<unknown>): Promise<CloudError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CloudError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('cloud client', () => {
  it('sends commands as Sonos documents them, with the bearer token', async () => {
    const { fake, client } = setup();
    fake.answer(json(200, {}));
    await client.setGroupVolume('RINCON_1:5', 30);
    await client.adjustGroupVolume('RINCON_1:5', -4);
    await client.setGroupMute('RINCON_1:5', true);
    await client.playback('RINCON_1:5', 'skipToNextTrack');
    await client.setPlayerVolume('RINCON_2', 12);
    await client.adjustPlayerVolume('RINCON_2', 3);
    await client.setPlayerMute('RINCON_2', false);
    expect(
      fake.requests.map((r) => [
        r.method,
        r.url.replace('https://api.example.test/control/api/v1', ''),
        r.body,
      ]),
    ).toEqual([
      ['POST', '/groups/RINCON_1%3A5/groupVolume', '{"volume":30}'],
      ['POST', '/groups/RINCON_1%3A5/groupVolume/relative', '{"volumeDelta":-4}'],
      ['POST', '/groups/RINCON_1%3A5/groupVolume/mute', '{"muted":true}'],
      ['POST', '/groups/RINCON_1%3A5/playback/skipToNextTrack', '{}'],
      ['POST', '/players/RINCON_2/playerVolume', '{"volume":12}'],
      ['POST', '/players/RINCON_2/playerVolume/relative', '{"volumeDelta":3}'],
      ['POST', '/players/RINCON_2/playerVolume/mute', '{"muted":false}'],
    ]);
    expect(fake.requests[0]!.headers).toMatchObject({
      authorization: 'Bearer token-1',
      'content-type': 'application/json',
    });
  });

  it('reads households, groups, volumes, playback and metadata', async () => {
    const { fake, client } = setup();
    fake.answer(json(200, { households: [{ id: 'Sonos_H1' }, { id: 'Sonos_H2', name: ' Beach ' }] }));
    expect(await client.households()).toEqual([
      { id: 'Sonos_H1', name: null },
      { id: 'Sonos_H2', name: 'Beach' },
    ]);
    fake.answer(json(200, { volume: 31, muted: false, fixed: false }));
    expect(await client.groupVolume('G')).toMatchObject({ volume: 31, muted: false });
    fake.answer(json(200, { playbackState: 'PLAYBACK_STATE_PAUSED' }));
    expect((await client.playbackStatus('G')).playbackState).toBe('PLAYBACK_STATE_PAUSED');
    fake.answer(json(200, { streamInfo: 'Radio' }));
    expect((await client.metadata('G')).streamInfo).toBe('Radio');
    fake.answer(json(200, { groups: [], players: [] }));
    expect(await client.groups('Sonos_H1')).toMatchObject({ groups: [], players: [] });
    expect(fake.requests.at(-1)!.url).toBe(
      'https://api.example.test/control/api/v1/households/Sonos_H1/groups',
    );
  });

  it('401: refreshes once and retries once; a renewed token turned down means signing in again', async () => {
    const { fake, client, refreshed, signIn } = setup();
    fake.answer(json(401, { error: 'access_denied', error_description: 'Invalid Token' }), json(200, {}));
    await client.setGroupVolume('G', 10);
    expect(refreshed).toEqual(['token-1']);
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);

    // The gateway's fault shape is a rejected token too; a second 401 is not retried again.
    fake.answer(
      json(401, {
        fault: {
          faultstring: 'Invalid Access Token',
          detail: { errorcode: 'keymanagement.service.invalid_access_token' },
        },
      }),
    );
    const error = await failure(client.setGroupVolume('G', 10));
    expect(refreshed).toHaveLength(2);
    expect(error).toMatchObject({
      code: 'needs-reauth',
      retryable: false,
      status: 401,
      errorCode: 'keymanagement.service.invalid_access_token',
    });
    // No refresh loop: the token Sonos turned down right after renewing it is not renewed again.
    const sent = fake.requests.length;
    expect(await failure(client.groupVolume('G'))).toMatchObject({ code: 'needs-reauth' });
    expect(refreshed).toHaveLength(2);
    expect(fake.requests.length).toBe(sent);
    // Signing in again gives a token that is tried.
    signIn('token-new');
    fake.answer(json(200, {}));
    await client.setGroupVolume('G', 11);
    expect(fake.requests.at(-1)!.headers.authorization).toBe('Bearer token-new');
  });

  it('410 is reported as gone for the caller to refetch groups', async () => {
    const { fake, client } = setup();
    fake.answer(json(410, '{"errorCode":"ERROR_RESOURCE_GONE"}'));
    const error = await failure(client.setGroupVolume('stale', 10));
    expect(error.gone).toBe(true);
    expect(error).toMatchObject({ status: 410, errorCode: 'ERROR_RESOURCE_GONE' });
  });

  it('maps Sonos errors, and any unknown shape to "unexpected", never a crash', async () => {
    const { fake, client } = setup();
    const cases: [ReturnType<typeof json>, string][] = [
      // Not allowed for what plays: said so, and not a reason to try another route.
      [json(400, { errorCode: 'ERROR_DISALLOWED_BY_POLICY', reason: 'Skip is not allowed' }), 'not-allowed'],
      [json(403, { errorCode: 'ERROR_NO_PERMISSION' }), 'refused'],
      [json(404, { errorCode: 'ERROR_RESOURCE_NOT_FOUND' }), 'not-found'],
      [
        json(400, { errorCode: 'ERROR_INVALID_PARAMETER', reason: 'Invalid value:volume' }),
        'invalid-request',
      ],
      [text(503, '<html>503 Service Temporarily Unavailable</html>'), 'unexpected'],
      [text(500, '', 'application/json'), 'unexpected'],
      [json(400, '["what"]'), 'unexpected'],
      [json(400, { message: 'no code' }), 'unexpected'],
      [json(429, { errorCode: 'ERROR_RATE_LIMITED' }), 'unexpected'],
      [text(302, ''), 'unexpected'],
    ];
    for (const [answer, code] of cases) {
      fake.answer(answer);
      expect((await failure(client.setGroupVolume('G', 1))).code, answer.text).toBe(code);
    }
    // A read needs a body it understands.
    for (const answer of [
      text(200, '', 'application/json'),
      text(200, '<html/>'),
      json(200, { volume: 'loud' }),
    ]) {
      fake.answer(answer);
      expect((await failure(client.groupVolume('G'))).code).toBe('unexpected');
    }
    // A command taken with an empty answer is still taken.
    fake.answer(text(200, '', 'application/json'));
    await expect(client.setGroupVolume('G', 1)).resolves.toBeUndefined();
  });

  it('timeouts and network failures', async () => {
    const { fake, client } = setup();
    fake.answer(new RequestFailure('timeout', 'UND_ERR_HEADERS_TIMEOUT'));
    expect(await failure(client.groupVolume('G'))).toMatchObject({ code: 'timeout', retryable: true });
    fake.answer(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    expect(await failure(client.groupVolume('G'))).toMatchObject({ code: 'unreachable', retryable: true });
  });

  it('reads every error body shape it knows', () => {
    expect(readCloudError({ errorCode: 'ERROR_X', reason: 'r' })).toEqual({
      errorCode: 'ERROR_X',
      reason: 'r',
    });
    expect(readCloudError({ error: 'access_denied', error_description: 'Invalid Token' })).toEqual({
      errorCode: 'access_denied',
      reason: 'Invalid Token',
    });
    expect(readCloudError({ fault: { faultstring: 'x' } })).toEqual({ errorCode: 'fault', reason: 'x' });
    for (const body of [null, 'x', 42, [], {}, { errorCode: 7 }])
      expect(readCloudError(body)).toEqual({ errorCode: null, reason: null });
  });
});
