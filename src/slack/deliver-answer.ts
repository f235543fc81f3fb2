import type { RespondArguments, RespondFn, webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import { clip } from '../boundary/clip.js';
import { redact } from '../boundary/redact.js';
import type { Answer } from '../commands/answer.js';
import { renderAnswer } from '../render/render-answer.js';
import { answerBlocks, type AnswerMessage } from './blocks/answer-blocks.js';
import { withNotice } from './blocks/fit-message.js';
import type { RestartFlow } from './restart-flow.js';

export interface Delivery {
  readonly respond: RespondFn;
  readonly client: webApi.WebClient;
  readonly channelId: string;
  /** Replace the message that asked (the "checking…" ack, or the report a button sat on). */
  readonly replaceOriginal: boolean;
  readonly log: Logger;
  /** Posts restart confirmations; absent when the bot runs without a store. */
  readonly restartFlow?: RestartFlow;
  /** A file goes into this thread (a [Trend] click on an alert) rather than the channel. */
  readonly threadTs?: string;
  /**
   * A click's file speaks for itself (its comment is the summary): the clicker gets a one-line
   * ephemeral receipt instead of a second copy of the summary in the channel.
   */
  readonly quietFile?: boolean;
}

/**
 * Sends a router answer back: Block Kit through response_url, and a file upload for a support
 * bundle or for an answer too long for Slack's limits (the message says it is attached). The
 * file carries the same words the terminal prints. One response_url call per answer; only a
 * support bundle that cannot be uploaded (the `report` command, never a button) takes two:
 * removing "collecting…" and the ephemeral hint.
 */
export async function deliverAnswer(answer: Answer, d: Delivery): Promise<void> {
  if (answer.kind === 'restart-request') return deliverRestartRequest(answer, d);
  const msg = answerBlocks(answer);
  if (answer.kind === 'file') {
    const failed = await upload(d, {
      filename: answer.filename,
      title: answer.title,
      content: answer.content,
      comment: answer.summary,
      ...(answer.altText ? { altText: answer.altText } : {}),
    });
    if (failed) {
      if (!d.quietFile)
        await withRetry(() => d.respond({ delete_original: true }), d.log).catch((err: unknown) =>
          d.log.warn({ err }, 'could not remove the progress message'),
        );
      await d.respond({ response_type: 'ephemeral', replace_original: false, text: `:warning: ${failed}` });
      return;
    }
    if (d.quietFile) {
      const where = d.threadTs ? 'in the thread' : 'here';
      await withRetry(() => d.respond({ response_type: 'ephemeral', replace_original: false, text: `📎 posted ${where}: ${answer.title}` }), d.log);
      return;
    }
  }
  let blocks = msg.blocks;
  // Only a channel answer is attached: a file would show an ephemeral one to everyone. Uploaded
  // first, so the one answer says whether it worked (a click's response_url is used once).
  if (msg.overflow && answer.kind !== 'file' && msg.response_type === 'in_channel') {
    const failed = await upload(d, {
      filename: `moneymind-${answer.kind}.txt`,
      title: clip(msg.text, 200),
      content: redact(renderAnswer(answer, { color: false })),
      comment: 'the full answer',
    });
    if (failed) blocks = withNotice(blocks, `:warning: the full answer could not be attached: ${failed}`);
  }
  await withRetry(() => d.respond(payload({ ...msg, blocks }, d.replaceOriginal)), d.log);
}

/** The confirmation is a message of its own (it is edited as the request moves on); the ack says where. */
async function deliverRestartRequest(answer: Extract<Answer, { kind: 'restart-request' }>, d: Delivery): Promise<void> {
  const host = answer.request.host.name;
  try {
    if (!d.restartFlow) throw new Error('no restart flow');
    const where = await d.restartFlow.post(answer.request, d.channelId);
    await withRetry(
      () =>
        d.respond({
          response_type: 'in_channel',
          replace_original: d.replaceOriginal,
          text: `🔄 restart request for ${host} posted ${where}; an approver confirms it.`,
        }),
      d.log,
    );
  } catch (err) {
    d.log.error({ err, host }, 'could not post the restart confirmation');
    await d.respond({
      response_type: 'ephemeral',
      replace_original: false,
      text: ':warning: I could not post the restart confirmation here: invite me to this channel (/invite @moneymind) and ask again. Nothing was restarted.',
    });
  }
}

function payload(msg: AnswerMessage, replace: boolean): RespondArguments {
  return { response_type: msg.response_type, text: msg.text, blocks: msg.blocks, replace_original: replace };
}

/** files.uploadV2 (getUploadURLExternal → upload → completeUploadExternal). Returns what went wrong, for the person. */
async function upload(
  d: Delivery,
  f: { filename: string; title: string; content: string | Uint8Array; comment: string; altText?: string },
): Promise<string | undefined> {
  try {
    const file = {
      file: typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : Buffer.from(f.content),
      filename: f.filename,
      title: f.title,
      initial_comment: f.comment,
      // An image's description for screen readers; Slack takes it with the upload URL request.
      ...(f.altText ? { alt_text: f.altText } : {}),
    };
    const where = { channel_id: d.channelId };
    await (d.threadTs ? d.client.files.uploadV2({ ...file, ...where, thread_ts: d.threadTs }) : d.client.files.uploadV2({ ...file, ...where }));
    return undefined;
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    d.log.error({ err, slackError: code, filename: f.filename }, 'file upload failed');
    if (code === 'not_in_channel' || code === 'channel_not_found')
      return 'I cannot post files here: invite me to this channel (/invite @moneymind) and try again.';
    if (code === 'missing_scope') return 'the Slack app lacks the files:write scope: reinstall it from manifest.yml.';
    return "Slack refused the file upload; the details are in the bot's logs. Try again in a minute.";
  }
}

/**
 * response_url answers 429 or 5xx now and then; the answer is worth a few quick retries (bounded:
 * 3 attempts within ~2 s) before giving up and telling the person.
 */
export async function withRetry(send: () => Promise<unknown>, log: Logger): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await send();
      return;
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      const retryable = status === 429 || (status !== undefined && status >= 500);
      if (!retryable || attempt >= 3) throw err;
      log.warn({ status, attempt }, 'response_url refused the answer; retrying');
      await new Promise((r) => setTimeout(r, 300 * 2 ** attempt));
    }
  }
}
