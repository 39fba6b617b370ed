/**
 * The household as the popover sees it: the snapshot from main kept current by patches, applied strictly in
 * revision order (a gap fetches a fresh snapshot), plus the sorted list of group cards. Track changes in groups
 * already on screen are handed to `announce` for the screen-reader live region.
 */
import type { Group, HouseholdPatch, HouseholdSnapshot, Player } from '../../main/contract/model';
import { applyPatch, orderGroups, trackChanges } from './household-state';
import type { Ipc } from './ipc';

export class HouseholdStore {
  snapshot = $state.raw<HouseholdSnapshot | null>(null);
  /** Group ids in the order they were shown when the user started working in the list; see `orderGroups`. */
  frozenOrder = $state.raw<string[] | null>(null);

  groups: Group[] = $derived(
    this.snapshot ? orderGroups(Object.values(this.snapshot.groups), this.frozenOrder) : [],
  );
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

  /** While focus is in the list the cards keep their places; see `orderGroups`. */
  freezeOrder(frozen: boolean): void {
    this.frozenOrder = frozen ? this.groups.map((g) => g.id) : null;
  }

  #replace(snapshot: HouseholdSnapshot): void {
    // Always taken as is: a snapshot is main's whole truth (after a reconnect its revisions may even restart), and
    // patches racing our own request for one are held back in `#pending` until it arrives.
    const before = this.snapshot;
    this.snapshot = snapshot;
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
    for (const text of trackChanges(before, after)) this.#announce(text);
  }
}
