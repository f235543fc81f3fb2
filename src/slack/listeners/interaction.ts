import type { AllMiddlewareArgs, BlockButtonAction, RespondFn, SlackActionMiddlewareArgs, webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Answer } from '../../commands/answer.js';
import type { Caller, CommandServices, Plan } from '../../commands/command.js';
import { answerOf } from '../../commands/router.js';
import { deliverAnswer } from '../deliver-answer.js';
import type { RestartFlow } from '../restart-flow.js';

/**
 * The one path of every listener: who asked and where (`Interaction`), the router's answer
 * delivered on the response_url (`deliverPlan`), and one catch (`guarded`). Listeners keep only
 * what is theirs: how they ack, which text they route, whether the answer replaces their message.
 */
export interface Interaction {
  readonly caller: Caller;
  /** Where a file goes: the command's channel, or the clicked message's (in a DM: the user's). */
  readonly channelId: string;
  readonly respond: RespondFn;
  readonly client: webApi.WebClient;
  /** A child logger with the user and the action (and, for a command, the channel). */
  readonly log: Logger;
  /** What the person is told when answering fails; the detail stays in the logs. */
  readonly failure: string;
}

/** A button click: its value is a host name, an incident key or a request id the bot set, still validated. */
export interface Click extends Interaction {
  readonly value: string;
  /** The message the button sits on: its ts, and its thread's when it is a reply (where a file goes). */
  readonly message?: { readonly ts: string; readonly threadTs?: string };
}

export type ButtonListener = (args: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => Promise<void>;

export const slackCaller = (userId: string): Caller => ({ userId, source: 'slack' });

// The command's ack told the channel "checking…": this tells the one who asked that it stopped.
const COMMAND_FAILED = ":warning: Something went wrong running that command; the details are in the bot's logs. Try again in a minute.";
const CLICK_FAILED = ":warning: That did not work; the details are in the bot's logs.";

/** The slash command's interaction, from what Bolt hands the listener. */
export function commandInteraction(command: { user_id: string; channel_id: string }, respond: RespondFn, client: webApi.WebClient, log: Logger): Interaction {
  const logger = log.child({ user: command.user_id, channel: command.channel_id, action: 'command' });
  return { caller: slackCaller(command.user_id), channelId: command.channel_id, respond, client, log: logger, failure: COMMAND_FAILED };
}

/**
 * A button's listener: ack at once (Slack wants it within 3 s), then `answer` the click, guarded.
 * A click gets exactly one answer either way: Slack takes a response_url a few times only.
 */
export function onClick(action: string, log: Logger, answer: (click: Click) => Promise<void>): ButtonListener {
  return async ({ ack, action: button, body, respond, client }) => {
    await ack();
    const click: Click = {
      caller: slackCaller(body.user.id),
      value: button.value ?? '',
      ...(body.message?.ts ? { message: { ts: body.message.ts, ...(body.message.thread_ts ? { threadTs: body.message.thread_ts } : {}) } } : {}),
      channelId: body.channel?.id ?? body.user.id,
      respond,
      client,
      log: log.child({ user: body.user.id, action }),
      failure: CLICK_FAILED,
    };
    await guarded(click, () => answer(click));
  };
}

/**
 * The one catch: the error goes to the log with its user and action; the person gets one short
 * ephemeral line, never a stack trace or what a host said.
 */
export async function guarded(i: Interaction, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    i.log.error({ err }, 'answering failed');
    await i
      .respond({ response_type: 'ephemeral', replace_original: false, text: i.failure })
      .catch((e: unknown) => i.log.error({ err: e }, 'could not tell the user about the failure'));
  }
}

/**
 * Runs the router's plan (its own answer, an error or help, is taken as is) and delivers the
 * answer. Only a plan's answer may replace the message that asked: an error about a [Refresh]
 * must not wipe the report it was clicked on.
 */
export async function deliverPlan(
  i: Interaction,
  plan: Plan | Answer,
  services: CommandServices,
  opts: { readonly replaceOriginal: boolean; readonly restartFlow?: RestartFlow | undefined; readonly threadTs?: string; readonly quietFile?: boolean },
): Promise<void> {
  const answer = await answerOf(plan, services, i.caller);
  const { replaceOriginal, ...rest } = opts;
  await deliverAnswer(answer, { ...i, ...rest, replaceOriginal: replaceOriginal && plan.kind === 'plan' });
}
