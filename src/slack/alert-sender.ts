import { webApi } from '@slack/bolt';
import { fallback } from '../slack-format/block-kit.js';
import type { SlackMessage } from '../slack-format/slack-message.js';
import type { AlertSender, SendFailure } from '../watch/outbox-poster.js';

// Slack's answers for blocks it will never take, however often they are sent.
const BLOCKS_REFUSED = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_blocks_too_long']);

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
      const thread = threadTs ? { thread_ts: threadTs } : {};
      const res = await textIfRefused(
        () => client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, ...thread, unfurl_links: false }),
        () => client.chat.postMessage({ channel, text: fallback(message.text), ...thread, unfurl_links: false }),
      );
      return { channel: res.channel ?? channel, ts: String(res.ts) };
    },
    async update(channel, ts, message: SlackMessage) {
      try {
        await client.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
      } catch (err) {
        throw failure(err);
      }
    },
    async upload(channel, threadTs, file) {
      try {
        await client.files.uploadV2({
          channel_id: channel,
          thread_ts: threadTs,
          file: Buffer.from(file.png),
          filename: file.filename,
          title: file.title,
          initial_comment: file.comment,
          alt_text: file.altText,
        });
      } catch (err) {
        throw failure(err);
      }
    },
  };
}

/**
 * The builders keep every alert within Slack's limits; a post queued in the outbox by an older
 * version may not be (60 host names in a button value). Rather than be refused and retried
 * forever, it goes out as its fallback text alone. (Edits of a parent never carried host lists.)
 */
async function textIfRefused<T>(send: () => Promise<T>, textOnly: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    if (!BLOCKS_REFUSED.has((err as { data?: { error?: string } }).data?.error ?? '')) throw failure(err);
  }
  try {
    return await textOnly();
  } catch (err) {
    throw failure(err);
  }
}

function failure(err: unknown): SendFailure {
  const e = err as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string }; message?: string };
  if (e.code === webApi.ErrorCode.RateLimitedError) return { retryAfterMs: (e.retryAfter ?? 1) * 1000, reason: 'rate limited (429)' };
  if (e.code === webApi.ErrorCode.HTTPError) return { reason: `HTTP ${e.statusCode ?? '?'}` };
  if (e.code === webApi.ErrorCode.PlatformError) return { reason: `Slack error ${e.data?.error ?? '?'}` };
  return { reason: e.message ?? String(err) };
}
