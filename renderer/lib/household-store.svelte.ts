/**
 * The household as the popover sees it: the snapshot from main kept current by patches, applied strictly in
 * revision order (a gap fetches a fresh snapshot), plus the list of group cards — sorted when the popover opens
 * and then kept in place while it is open (`resort` sorts again). Track changes in groups already on screen are
 * handed to `announce` for the screen-reader live region.
 */
import type { Group, HouseholdPatch, HouseholdSnapshot, Player } from '../../main/contract/model';
import { applyPatch, orderGroups, trackChanges } from './household-state';
import type { Ipc } from './ipc';

/** The latest the cards keep moving into their order while the household is still arriving. */
const SETTLE_MS = 2_000;

export class HouseholdStore {
  snapshot = $state.raw<HouseholdSnapshot | null>(null);
  /** The cards in the order they are on screen; see `orderGroups`. */
  groups = $state.raw<Group[]>([]);
  /** Coordinator ids in the order of `groups`, kept until `resort`. */
  #order: string[] | null = null;
  /**
   * While the household is still arriving (a group's playback state not known yet) the cards are sorted as news
   * comes in — nobody has had time to point at them; after that, or at the latest `SETTLE_MS` after the first
   * cards, their order holds.
   */
  #settled = false;
  #settleTimer: ReturnType<typeof setTimeout> | null = null;
  searching = $derived(this.snapshot?.discovery !== 'idle');

  readonly #ipc: Ipc;
  readonly #announce: (text: string) => void;
  /** Patches that arrive while a snapshot is on its way; applied after it, in order, if they follow on. */
  #pending: HouseholdPatch[] | null = null;

  constructor(ipc: Ipc, announce: (text: string) => void) {
    this.#ipc = ipc;
    this.#announce = announce;
  }

  /** Subscribes and loads; returns the teardown that removes every listener. */
  connect(): () => void {
    const offSnapshot = this.#ipc.tray.on('household:snapshot', (snapshot) => this.#replace(snapshot));
    const offPatch = this.#ipc.tray.on('household:patch', (patch) => this.#patch(patch));
    void this.refresh();
    return () => {
      offSnapshot();
      offPatch();
    };
  }

  async refresh(): Promise<void> {
    if (this.#pending) return;
    this.#pending = [];
    const result = await this.#ipc.request('household:getSnapshot');
    const pending = this.#pending;
    this.#pending = null;
    if (!result.ok) {
      // Keep what we have; the notice says why, and the next patch gap or reconnect asks again.
      this.#ipc.report(result.error);
      return;
    }
    this.#replace(result.value);
    for (const patch of pending.sort((a, b) => a.revision - b.revision)) this.#patch(patch);
  }

  player(id: string): Player | undefined {
    const players = this.snapshot?.players;
    // Own properties only: a speaker called `toString` must not find Object.prototype.toString.
    return players && Object.hasOwn(players, id) ? players[id] : undefined;
  }

  playersOf(group: Group): Player[] {
    return group.playerIds.map((id) => this.player(id)).filter((p): p is Player => p !== undefined);
  }

  /** The popover was shown again: sort the cards afresh (playing first), the one moment nobody points at them. */
  resort(): void {
    this.#order = null;
    this.#arrange();
  }

  #arrange(): void {
    const all = this.snapshot ? Object.values(this.snapshot.groups) : [];
    // Sorted afresh until settled, and once more on the change that settles it (the last state to arrive).
    const fresh = !this.#settled;
    if (!this.#settled && all.length > 0) {
      if (all.every((g) => g.playback !== 'unknown')) this.#settle();
      else this.#settleTimer ??= setTimeout(() => this.#settle(), SETTLE_MS);
    }
    const groups = orderGroups(all, fresh ? null : this.#order);
    this.groups = groups;
    // An empty list keeps no order: the household that comes back is sorted as if the popover had just opened.
    this.#order = groups.length > 0 ? groups.map((g) => g.coordinatorId) : null;
    if (groups.length === 0) this.#settled = false;
  }

  #settle(): void {
    this.#settled = true;
    if (this.#settleTimer) clearTimeout(this.#settleTimer);
    this.#settleTimer = null;
  }

  #replace(snapshot: HouseholdSnapshot): void {
    // Always taken as is: a snapshot is main's whole truth (after a reconnect its revisions may even restart), and
    // patches racing our own request for one are held back in `#pending` until it arrives.
    const before = this.snapshot;
    this.snapshot = snapshot;
    this.#arrange();
    for (const text of trackChanges(before, snapshot)) this.#announce(text);
  }

  #patch(patch: HouseholdPatch): void {
    if (this.#pending) {
      this.#pending.push(patch);
      return;
    }
    const before = this.snapshot;
    if (!before) return;
    const after = applyPatch(before, patch);
    if (!after) {
      void this.refresh();
      return;
    }
    if (after === before) return;
    this.snapshot = after;
    if (after.groups !== before.groups) this.#arrange();
    for (const text of trackChanges(before, after)) this.#announce(text);
  }
}
