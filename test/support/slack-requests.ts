import type { RecordedCall, SlackDouble } from './slack-double.js';
import { slackHeaders } from './slack-sign.js';

/**
 * Sends what Slack sends to an app in HTTP mode: a slash command or a button click, form-encoded
 * and signed, with a response_url pointing at the Web API double.
 */
export interface SlackSender {
  command(
    text: string,
    opts?: { secret?: string; timestamp?: number; channel?: string; user?: string },
  ): Promise<{ id: number; status: number; ms: number; json: Record<string, unknown> }>;
  /** `message`: the message the button sits on (an alert's parent: its ts; a threaded answer: thread_ts too). */
  click(actionId: string, value: string, user?: string, message?: ClickedMessage): Promise<RecordedCall>;
  /** Clicks without waiting for a response_url answer; resolves with that request's response id once acked. */
  press(actionId: string, value: string, user?: string): Promise<number>;
  /** The calls made to one request's response_url. */
  responses(id: number): RecordedCall[];
}

let seq = 0;

export interface ClickedMessage {
  readonly ts: string;
  readonly thread_ts?: string;
}

export function slackSender(appUrl: string, slack: SlackDouble, secret: string): SlackSender {
  const post = (body: string, s = secret, timestamp?: number) =>
    fetch(`${appUrl}/slack/events`, { method: 'POST', headers: slackHeaders(s, body, timestamp), body });
  return {
    async command(text, opts = {}) {
      const id = ++seq;
      const body = new URLSearchParams({
        command: '/moneymind',
        text,
        user_id: opts.user ?? 'U123',
        user_name: 'alice',
        channel_id: opts.channel ?? 'C0123ABCD',
        team_id: 'T1',
        response_url: `${slack.url}/response/${id}`,
        trigger_id: 't',
        token: 'legacy',
      }).toString();
      const started = Date.now();
      const res = await post(body, opts.secret, opts.timestamp);
      const raw = await res.text();
      return { id, status: res.status, ms: Date.now() - started, json: raw ? (JSON.parse(raw) as Record<string, unknown>) : {} };
    },
    async click(actionId, value, user = 'U123', message) {
      const id = await press(actionId, value, user, message);
      return slack.waitFor((c) => c.path === `/response/${id}`, 10_000);
    },
    press: (actionId, value, user) => press(actionId, value, user),
    responses: (id) => slack.calls.filter((c) => c.path === `/response/${id}`),
  };
  async function press(actionId: string, value: string, user = 'U123', message?: ClickedMessage): Promise<number> {
    const id = ++seq;
    const payload = {
      type: 'block_actions',
      user: { id: user, username: 'alice', team_id: 'T1' },
      team: { id: 'T1' },
      channel: { id: 'C0123ABCD' },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: 't',
      response_url: `${slack.url}/response/${id}`,
      actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1' }],
      ...(message
        ? { message: { type: 'message', text: '', ...message }, container: { type: 'message', message_ts: message.ts, channel_id: 'C0123ABCD' } }
        : {}),
    };
    const res = await post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
    if (res.status !== 200) throw new Error(`button click answered ${res.status}`);
    return id;
  }
}
