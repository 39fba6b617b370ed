/**
 * 100 concurrent cloud calls meet an expired access token: how many refresh requests reach the token endpoint?
 * Counted by the simulated Sonos cloud. (Goal: exactly one — everyone waits for the same refresh.)
 */
import { startAccountHarness, tokenRequests } from '../../test/support/account-harness';

export async function measureRefreshSingleFlight(callers = 100): Promise<number> {
  const harness = await startAccountHarness({ cloudOnly: true, sim: { oauthMode: 'auto' } });
  try {
    await harness.signIn();
    const groupId = harness.sim.state().groups[0]!.id;
    harness.sim.control.expireAllTokens();
    const before = tokenRequests(harness.sim, 'refresh_token').length;
    await Promise.all(Array.from({ length: callers }, () => harness.account.client.groupVolume(groupId)));
    return tokenRequests(harness.sim, 'refresh_token').length - before;
  } finally {
    await harness.stop();
  }
}
