/** What the bot answers: its slash command(s) and the action ids of the buttons it renders. */
export interface AcceptedRequests {
  readonly commands: ReadonlySet<string>;
  readonly actions: ReadonlySet<string>;
}

// Slack's own limits: action_id at most 255 characters, a button's value at most 2000.
const MAX_ACTION_ID = 255;
const MAX_VALUE = 2000;
const MAX_URL = 2048;
// U0123ABCD, C0123ABCD, T1 (the test doubles use short ones); Slack's IDs are upper-case alphanumerics.
const SLACK_ID = /^[A-Z0-9]{1,32}$/;

/**
 * Why a parsed Slack request body is not one the bot can handle, or undefined when it is. Bolt
 * dispatches whatever parses: `payload=null` threw inside its receiver (and ended the process),
 * an array or an unknown action id reached no listener and hung until Slack's 3 s timeout, a
 * button click without `user` threw in the listener. Checked before any listener runs, so a
 * malformed request changes nothing. Only the fields the listeners read are checked.
 *
 * `{"type":"block_actions","user":{"id":"U1"},"actions":[{"type":"button","action_id":"refresh","value":"prod-1"}],"response_url":"https://hooks.slack.com/…"}`
 */
export function checkSlackBody(body: unknown, accepted: AcceptedRequests): string | undefined {
  if (!isRecord(body)) return `the body is ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}, not an object`;
  // Slack's own probes; Bolt answers them without calling a listener.
  if (body.ssl_check === '1') return undefined;
  if (body.type === 'url_verification')
    return typeof body.challenge === 'string' && body.challenge.length <= MAX_ACTION_ID ? undefined : 'url_verification without a challenge';
  if (body.command !== undefined) return commandProblem(body, accepted);
  if (body.type === 'block_actions') return actionsProblem(body, accepted);
  return `unsupported request (type ${short(body.type)})`;
}

function commandProblem(body: Record<string, unknown>, accepted: AcceptedRequests): string | undefined {
  if (typeof body.command !== 'string' || !accepted.commands.has(body.command)) return `unknown command ${short(body.command)}`;
  // Length is the router's business: it tells the person how long their text was.
  if (body.text !== undefined && typeof body.text !== 'string') return 'text is not a string';
  if (!isSlackId(body.user_id)) return 'user_id missing or malformed';
  if (!isSlackId(body.channel_id)) return 'channel_id missing or malformed';
  if (!isHttpUrl(body.response_url)) return 'response_url missing or not an http(s) URL';
  return undefined;
}

function actionsProblem(body: Record<string, unknown>, accepted: AcceptedRequests): string | undefined {
  if (!isRecord(body.user) || !isSlackId(body.user.id)) return 'user.id missing or malformed';
  if (body.channel !== undefined && !(isRecord(body.channel) && isSlackId(body.channel.id))) return 'channel.id malformed';
  if (!isHttpUrl(body.response_url)) return 'response_url missing or not an http(s) URL';
  const actions = body.actions;
  // Slack sends the one component that was used; Bolt dispatches only the first anyway.
  if (!Array.isArray(actions) || actions.length < 1 || actions.length > 25) return 'actions must be a non-empty array';
  for (const a of actions) {
    if (!isRecord(a) || typeof a.action_id !== 'string' || a.action_id.length > MAX_ACTION_ID) return 'an action without a valid action_id';
    if (!accepted.actions.has(a.action_id)) return `unknown action_id ${short(a.action_id)}`;
    if (a.type !== 'button') return `action ${a.action_id} is not a button`;
    if (a.value !== undefined && (typeof a.value !== 'string' || a.value.length > MAX_VALUE))
      return `action ${a.action_id}: value is not a string of at most ${MAX_VALUE} characters`;
  }
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isSlackId(v: unknown): boolean {
  return typeof v === 'string' && SLACK_ID.test(v);
}

function isHttpUrl(v: unknown): boolean {
  if (typeof v !== 'string' || v.length > MAX_URL) return false;
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false; // not a URL at all: the caller names the field
  }
}

/** A value from the request, quoted and cut short for an error message and a log line. */
function short(v: unknown): string {
  return JSON.stringify(typeof v === 'string' ? v.slice(0, 40) : String(v));
}
