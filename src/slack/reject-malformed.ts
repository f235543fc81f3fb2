import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Telemetry } from '../ops/telemetry.js';
import { type AcceptedRequests, checkSlackBody } from './check-slack-body.js';

/**
 * The same check as the HTTP guard, as Bolt's first global middleware: Socket Mode has no HTTP
 * status to answer with, so a malformed envelope (an unknown action id, a click without a user) is
 * acked at once — Slack would otherwise wait 3 s and retry it — counted, and reaches no listener.
 * In HTTP mode the guard has already answered 400, so nothing gets here.
 */
export function rejectMalformed(accepted: AcceptedRequests, log: Logger, telemetry: Telemetry): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const why = checkSlackBody(args.body, accepted);
    if (!why) return args.next();
    telemetry.error('slack_request');
    log.warn({ why }, 'Slack request rejected');
    if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
  };
}
