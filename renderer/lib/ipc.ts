/**
 * The renderer's one door to main. `request` hands back the `IpcResult` for callers that show errors in place
 * (forms); `run` reports failures to the notice area and resolves with the value or `undefined`, so a button
 * handler never has to think about errors. Neither ever rejects: a broken transport becomes an error value too.
 */
import type { InvokeChannel, IpcResult, ReplyOf, RequestOf, TrayApi } from '../../main/contract/ipc';
import type { AppErrorPayload } from '../../main/contract/model';
import type { Notices } from './notices.svelte';

type Args<C extends InvokeChannel> = RequestOf<C> extends undefined ? [] : [payload: RequestOf<C>];

/** What an action was for: the speakers it concerns and the name the user knows them by. */
export interface About {
  players: readonly string[];
  name: string | null;
}

const NOTHING: About = { players: [], name: null };

function transportError(error: unknown): AppErrorPayload {
  return {
    code: 'internal',
    message: 'Tray for Sonos did not answer.',
    retryable: true,
    details: {
      code: null,
      description: null,
      uri: null,
      technical: error instanceof Error ? error.message : String(error),
    },
  };
}

export class Ipc {
  readonly tray: TrayApi;
  readonly #notices: Notices;

  constructor(tray: TrayApi, notices: Notices) {
    this.tray = tray;
    this.#notices = notices;
  }

  async request<C extends InvokeChannel>(channel: C, ...args: Args<C>): Promise<IpcResult<ReplyOf<C>>> {
    try {
      // The overloads of `invoke` cannot be picked from a generic channel; the payload type is still checked
      // by `Args<C>` above.
      const invoke = this.tray.invoke as (channel: C, payload?: unknown) => Promise<IpcResult<ReplyOf<C>>>;
      return await invoke(channel, args[0]);
    } catch (error) {
      return { ok: false, error: transportError(error) };
    }
  }

  /** Shows an error from a background load the same way as one from an action. */
  report(error: AppErrorPayload, about: About = NOTHING): void {
    this.#notices.push(error, about);
  }

  async run<C extends InvokeChannel>(channel: C, ...args: Args<C>): Promise<ReplyOf<C> | undefined> {
    return this.runAbout(NOTHING, channel, ...args);
  }

  /** `run` for an action on speakers: its notice goes when those speakers are fine again (`Notices.settle`). */
  async runAbout<C extends InvokeChannel>(
    about: About,
    channel: C,
    ...args: Args<C>
  ): Promise<ReplyOf<C> | undefined> {
    const result = await this.request(channel, ...args);
    if (result.ok) return result.value;
    this.report(result.error, about);
    return undefined;
  }
}
