import * as v from 'valibot';
import {
  eventChannels,
  invokeChannels,
  isInvokeChannel,
  type EventChannel,
  type EventPayloadOf,
  type InvokeChannel,
  type IpcResult,
  type ReplyOf,
  type RequestOf,
} from '../../contract/ipc';
import { messageForPeople } from '../../contract/issues';
import { AppError, toErrorPayload } from '../errors';

export type InvokeHandlers = {
  [C in InvokeChannel]: (payload: RequestOf<C>) => Promise<ReplyOf<C>> | ReplyOf<C>;
};

export interface RouterLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path?.map((item) => String(item.key)).join('.') ?? '';
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/**
 * The one door every request comes through, for the Electron shell and for the browser bridge alike: checks that
 * the channel exists, validates the payload, runs the handler, checks the reply, and turns every failure into a
 * typed error value. It never throws.
 */
export function createIpcRouter(handlers: InvokeHandlers, logger?: RouterLogger) {
  return {
    async handle(channel: unknown, payload: unknown): Promise<IpcResult<unknown>> {
      if (!isInvokeChannel(channel)) {
        const name = typeof channel === 'string' ? channel.slice(0, 80) : typeof channel;
        logger?.warn('ipc: unknown channel', { channel: name });
        return {
          ok: false,
          error: new AppError('unknown-channel', 'Tray for Sonos does not know that request.', {
            details: { technical: `unknown channel: ${name}` },
          }).toPayload(),
        };
      }
      const contract = invokeChannels[channel];
      const request = v.safeParse(contract.request, payload);
      if (!request.success) {
        const technical = `${channel}: ${describeIssues(request.issues)}`;
        logger?.warn('ipc: invalid payload', { channel, issues: technical });
        return {
          ok: false,
          // A check written for people (an address, a shortcut) says what is wrong; anything else is a bug.
          error: new AppError(
            'invalid-request',
            messageForPeople(request.issues) ?? 'That request was not valid.',
            {
              details: { technical },
            },
          ).toPayload(),
        };
      }
      try {
        const handler = handlers[channel] as (payload: unknown) => unknown;
        const value = await handler(request.output);
        const reply = v.safeParse(contract.reply, value);
        if (!reply.success) {
          throw new Error(`reply of ${channel} broke the contract: ${describeIssues(reply.issues)}`);
        }
        return { ok: true, value: reply.output };
      } catch (error) {
        const payload = toErrorPayload(error);
        if (payload.code === 'internal')
          logger?.warn('ipc: handler failed', { channel, error: payload.details });
        return { ok: false, error: payload };
      }
    },
  };
}

export type IpcRouter = ReturnType<typeof createIpcRouter>;

/**
 * Checks an event before it leaves main. An invalid event is a bug in main: it is dropped and logged rather than
 * handed to a renderer that trusts the contract.
 */
export function encodeEvent<E extends EventChannel>(
  event: E,
  payload: EventPayloadOf<E>,
  logger?: RouterLogger,
): { event: E; payload: EventPayloadOf<E> } | null {
  const result = v.safeParse(eventChannels[event], payload);
  if (!result.success) {
    logger?.warn('ipc: dropped invalid event', { event, issues: describeIssues(result.issues) });
    return null;
  }
  return { event, payload: result.output as EventPayloadOf<E> };
}
