/**
 * Changes of one tick become one patch: entities are marked dirty as facts arrive, and a microtask later (or at
 * once, before a snapshot) one `HouseholdPatch` with the next revision carries each of them whole.
 */
import type { Group, Household, HouseholdPatch, Player } from '../../contract/model';

export interface PatchSource {
  household(id: string): Household | null;
  group(id: string): Group | null;
  player(id: string): Player | null;
  discovery(): 'searching' | 'idle';
}

export class PatchBatcher {
  private revisionValue = 0;
  private readonly households = new Set<string>();
  private readonly groups = new Set<string>();
  private readonly players = new Set<string>();
  private discoveryDirty = false;
  private queued = false;
  private readonly listeners = new Set<(patch: HouseholdPatch) => void>();

  constructor(private readonly source: PatchSource) {}

  get revision(): number {
    return this.revisionValue;
  }

  onPatch(listener: (patch: HouseholdPatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  household(id: string): void {
    this.households.add(id);
    this.schedule();
  }
  group(id: string): void {
    this.groups.add(id);
    this.schedule();
  }
  player(id: string): void {
    this.players.add(id);
    this.schedule();
  }
  discovery(): void {
    this.discoveryDirty = true;
    this.schedule();
  }

  /** Emits pending changes as one patch now. */
  flush(): void {
    this.queued = false;
    const { households, groups, players } = this;
    if (households.size === 0 && groups.size === 0 && players.size === 0 && !this.discoveryDirty) return;
    this.revisionValue += 1;
    const patch: HouseholdPatch = { revision: this.revisionValue };
    if (this.discoveryDirty) patch.discovery = this.source.discovery();
    // Built with `Object.fromEntries`: every id becomes an own property, whatever it is called.
    if (households.size > 0)
      patch.households = Object.fromEntries([...households].map((id) => [id, this.source.household(id)]));
    if (groups.size > 0)
      patch.groups = Object.fromEntries([...groups].map((id) => [id, this.source.group(id)]));
    if (players.size > 0)
      patch.players = Object.fromEntries([...players].map((id) => [id, this.source.player(id)]));
    households.clear();
    groups.clear();
    players.clear();
    this.discoveryDirty = false;
    for (const listener of this.listeners) listener(patch);
  }

  dispose(): void {
    this.listeners.clear();
  }

  private schedule(): void {
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => this.flush());
  }
}
