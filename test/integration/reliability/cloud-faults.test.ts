/**
 * The fault matrix, cloud side: each fault while the user drags or presses, against the simulator's cloud. Each
 * must recover without a restart, and the last volume the user set must land.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startAccountHarness, tokenRequests, type AccountHarness } from '../../support/account-harness';

let h: AccountHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const simGroup = (hh: AccountHarness, id: string) => hh.sim.state().groups.find((g) => g.id === id)!;

/** A slider dragged for `frames` frames at 60 Hz; `during(frame)` injects the fault. Resolves with the last value. */
async function drag(
  hh: AccountHarness,
  groupId: string,
  frames: number,
  during: (frame: number) => void,
): Promise<number> {
  let value = 20;
  const intents: Promise<void>[] = [];
  for (let frame = 0; frame < frames; frame++) {
    during(frame);
    value = 20 + ((frame * 7) % 60);
    intents.push(hh.controller.setGroupVolume(groupId, value).catch(() => {}));
    await new Promise((resolve) => setTimeout(resolve, 1000 / 60));
  }
  await Promise.all(intents);
  return value;
}

describe('fault matrix (cloud)', () => {
  it('cloud 5xx with HTML, then an empty body: the last value lands once the cloud answers again', async () => {
    h = await startAccountHarness({ sim: { players: 2, oauthMode: 'auto' } });
    await h.controller.whenComplete();
    await h.signIn();
    h.controller.updateSettings({ preferCloud: true });
    h.sim.control.setLocalAuth(true); // no local way out: only the cloud can do it
    const groupId = h.sim.state().groups[0]!.id;
    h.sim.control.failCloud({ mode: '5xx-html', count: 2 });
    await expect(h.controller.setGroupVolume(groupId, 61)).rejects.toMatchObject({
      code: 'unexpected',
      retryable: true,
    });
    await vi.waitFor(() => expect(simGroup(h!, groupId).volume).toBe(61), { timeout: 8_000 });
    h.sim.control.failCloud({ mode: '5xx-empty', count: 1 });
    await h.controller.setGroupVolume(groupId, 62).catch(() => {});
    await vi.waitFor(() => expect(simGroup(h!, groupId).volume).toBe(62), { timeout: 8_000 });
    // Recovered: the next command goes straight through.
    await h.controller.setGroupVolume(groupId, 63);
    expect(simGroup(h, groupId).volume).toBe(63);
  });

  it('token expiry mid-drag: one refresh, and the drag ends where the slider stopped', async () => {
    h = await startAccountHarness({ sim: { players: 2, oauthMode: 'auto', holdBackMs: 60 } });
    await h.controller.whenComplete();
    await h.signIn();
    h.controller.updateSettings({ preferCloud: true });
    h.sim.control.setLocalAuth(true);
    const groupId = h.sim.state().groups[0]!.id;
    const refreshesBefore = tokenRequests(h.sim, 'refresh_token').length;
    const last = await drag(h, groupId, 60, (frame) => {
      if (frame === 30) h!.sim.control.expireAllTokens();
    });
    await vi.waitFor(() => expect(simGroup(h!, groupId).volume).toBe(last), { timeout: 5_000 });
    expect(tokenRequests(h.sim, 'refresh_token').length - refreshesBefore).toBe(1);
    expect(h.account.service.state().status).toBe('signedIn');
  });

  it('refresh revoked: asks the user to sign in again, and the intent still lands on the local path', async () => {
    h = await startAccountHarness({ sim: { players: 2, oauthMode: 'auto' } });
    await h.controller.whenComplete();
    await h.signIn();
    h.controller.updateSettings({ preferCloud: true });
    const groupId = h.sim.state().groups[0]!.id;
    h.sim.control.revokeRefreshTokens();
    h.sim.control.expireAllTokens();
    await h.controller.setGroupVolume(groupId, 44);
    expect(simGroup(h, groupId).volume).toBe(44);
    await vi.waitFor(() => expect(h!.account.service.state().status).toBe('needsReauth'));
    expect(h.controller.settings.preferCloud).toBe(true);
  });

  it('"authentication on" mid-drag: the rest of the drag goes through the cloud and lands', async () => {
    h = await startAccountHarness({ sim: { players: 2, groups: '1+2', oauthMode: 'auto', holdBackMs: 60 } });
    await h.controller.whenComplete();
    await h.signIn();
    const groupId = h.sim.state().groups[0]!.id;
    const last = await drag(h, groupId, 60, (frame) => {
      if (frame === 20) h!.sim.control.setLocalAuth(true);
    });
    await vi.waitFor(() => expect(simGroup(h!, groupId).volume).toBe(last), { timeout: 5_000 });
    expect(h.controller.diagnostics().account.lastTransport).toBe('cloud');
    expect(h.controller.stats().maxInFlight).toBe(1);
  });
});
