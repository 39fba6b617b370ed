/**
 * A tray app is hidden nearly all day. While the popover is hidden, the core sends it nothing it would not need on
 * show: household changes become one snapshot when it shows, other notices only their latest value.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HouseholdSnapshot } from '../../../main/contract/model';
import { createAppCore, type AppCore } from '../../../main/core/app-core';
import { startHarness, type Harness } from '../../support/core-harness';

let harness: Harness | null = null;
let core: AppCore | null = null;
afterEach(async () => {
  core?.dispose();
  core = null;
  await harness?.stop();
  harness = null;
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('events to a hidden popover', () => {
  it('are held: household changes become one snapshot on show, other notices their latest value', async () => {
    harness = await startHarness({ players: 2, groups: '1+2' });
    const { sim, controller } = harness;
    await controller.whenComplete(5_000);
    const poller: boolean[] = [];
    core = createAppCore({ controller, popoverVisible: false, onPopoverVisible: (v) => poller.push(v) });
    const events: { event: string; payload: unknown }[] = [];
    core.subscribe((event, payload) => events.push({ event, payload }));

    // Another controller changes volumes while the popover is hidden; the user changes a setting from the tray.
    const group = sim.state().groups[0]!;
    for (const volume of [11, 22, 33]) {
      sim.control.setGroupVolume(group.id, volume);
      await vi.waitFor(() => expect(controller.snapshot().groups[group.id]?.volume).toBe(volume));
    }
    await core.router.handle('settings:update', { hotkeyVolumeStep: 3 });
    await core.router.handle('settings:update', { hotkeyVolumeStep: 4 });
    sim.control.dropSockets(sim.players[1]!.id);
    await settle();
    expect(events).toEqual([]);

    core.setPopoverVisible(true);
    expect(poller).toEqual([true]);
    expect(events.map((e) => e.event)).toEqual([
      'household:snapshot',
      'settings:changed',
      'diagnostics:changed',
    ]);
    const snapshot = events[0]!.payload as HouseholdSnapshot;
    expect(snapshot.groups[group.id]?.volume).toBe(33);
    expect(snapshot.revision).toBe(controller.snapshot().revision);
    expect(events[1]!.payload).toMatchObject({ hotkeyVolumeStep: 4 });

    // Shown: patches flow as they come.
    events.length = 0;
    sim.control.setGroupVolume(group.id, 44);
    await vi.waitFor(() => expect(events.some((e) => e.event === 'household:patch')).toBe(true));
    expect(events.every((e) => e.event !== 'household:snapshot')).toBe(true);

    // Hidden again with nothing changing: nothing is sent on the next show.
    core.setPopoverVisible(false);
    await settle();
    events.length = 0;
    core.setPopoverVisible(true);
    expect(events).toEqual([]);
    expect(poller).toEqual([true, false, true]);
  });
});
