import { webApi } from '@slack/bolt';
import type { SlackPayload } from '../store/watch-store.js';
import type { AlertSender, SendFailure } from '../watch/outbox-poster.js';

/**
 * chat.postMessage / chat.update for alerts, through a client of its own that never retries or
 * waits by itself (the default policy can stall for half an hour on 429s): the outbox retries,
 * paced and persisted, so a cycle never waits on Slack.
 */
export function slackAlertSender(token: string, apiUrl: string | undefined): AlertSender {
  const client = new webApi.WebClient(token, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  });
  return {
    async post(channel, message, threadTs) {
      try {
        const res = await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks as never, ...(threadTs ? { thread_ts: threadTs } : {}), unfurl_links: false });
        return { channel: res.channel ?? channel, ts: String(res.ts) };
      } catch (err) {
        throw failure(err);
      }
    },
    async update(channel, ts, message: SlackPayload) {
      try {
        await client.chat.update({ channel, ts, text: message.text, blocks: message.blocks as never });
      } catch (err) {
        throw failure(err);
      }
    },
  };
}

function failure(err: unknown): SendFailure {
  const e = err as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string }; message?: string };
  if (e.code === webApi.ErrorCode.RateLimitedError) return { retryAfterMs: (e.retryAfter ?? 1) * 1000, reason: 'rate limited (429)' };
  if (e.code === webApi.ErrorCode.HTTPError) return { reason: `HTTP ${e.statusCode ?? '?'}` };
  if (e.code === webApi.ErrorCode.PlatformError) return { reason: `Slack error ${e.data?.error ?? '?'}` };
  return { reason: e.message ?? String(err) };
}
