import type { IncomingMessage, ServerResponse } from 'node:http';
import { type BufferedIncomingMessage, type CustomRoute, ErrorCode, HTTPModuleFunctions, HTTPReceiver, isValidSlackRequest } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Telemetry } from '../ops/telemetry.js';
import { boltLogger } from './bolt-logger.js';
import { type AcceptedRequests, checkSlackBody } from './check-slack-body.js';

export const EVENTS_PATH = '/slack/events';
// Bolt's own limit (4 MB): bigger bodies get 413 from the guard as they would from Bolt.
const BODY_LIMIT = HTTPModuleFunctions.defaultBodyLimit;

export interface GuardOptions {
  readonly signingSecret: string;
  readonly accepted: AcceptedRequests;
  readonly customRoutes: CustomRoute[];
  readonly log: Logger;
  readonly telemetry: Telemetry;
}

/**
 * Bolt's own HTTPReceiver (signature check, ack, customRoutes), with a guard in front of
 * /slack/events: a correctly signed body that Bolt cannot handle gets a 400 before Bolt sees it.
 * Bolt parses the body in an async closure nobody awaits, then reads `body.ssl_check` outside its
 * try/catch (HTTPReceiver.handleIncomingEvent): `payload=null` or a JSON `null` made that an
 * unhandled rejection, which ended the process. Unsigned requests pass through untouched, so Bolt
 * keeps answering them 401 exactly as before. Errors after the guard meet the handlers below:
 * logged, counted in moneymind_errors_total{where}, never fatal.
 */
export function guardedHttpReceiver(o: GuardOptions): HTTPReceiver {
  const log = o.log.child({ component: 'slack-http' });
  const receiver = new HTTPReceiver({
    signingSecret: o.signingSecret,
    endpoints: [EVENTS_PATH],
    customRoutes: o.customRoutes,
    logger: boltLogger(o.log),
    bodyLimit: BODY_LIMIT,
    dispatchErrorHandler: ({ error, request, response }) => {
      // Anything but /slack/events and the custom routes: scanners, typos. Not an error of ours.
      if ((error as { code?: string }).code === ErrorCode.HTTPReceiverDeferredRequestError) return void response.writeHead(404).end();
      o.telemetry.error('slack_dispatch');
      log.error({ err: error, method: request.method, url: request.url }, 'Slack request failed before dispatch');
      if (!response.headersSent) response.writeHead(500).end();
    },
    processEventErrorHandler: async ({ error, response }) => {
      o.telemetry.error('slack_dispatch');
      log.error({ err: error }, 'Slack request failed in Bolt');
      if (!response.headersSent) response.writeHead(500).end();
      return false;
    },
    unhandledRequestHandler: ({ response }) => {
      // A listener that did not ack within Slack's 3 s; the guard leaves none without a listener.
      o.telemetry.error('slack_unacked');
      log.warn({}, 'a Slack request was not acknowledged within 3 s');
      if (!response.headersSent) response.writeHead(404).end();
    },
  });
  const dispatch = receiver.requestListener;
  const reject = (res: ServerResponse, status: number, why: string, unread = false): false => {
    o.telemetry.error('slack_request');
    log.warn({ status, why }, 'Slack request rejected');
    // A body left unread (over the limit) would otherwise be taken for the next request on a
    // kept-alive connection: that connection closes instead.
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...(unread ? { connection: 'close' } : {}) }).end(`${why}\n`);
    return false;
  };
  const guard = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    let buffered: BufferedIncomingMessage;
    try {
      // Bolt reuses req.rawBody when it is set, so the body is read once.
      buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, BODY_LIMIT);
    } catch (err) {
      return HTTPModuleFunctions.isRawBodyError(err) && err.statusCode === 413
        ? reject(res, 413, `body over ${BODY_LIMIT} bytes`, true)
        : reject(res, 400, 'unreadable body', true);
    }
    if (!signed(req, buffered.rawBody.toString(), o.signingSecret)) return true;
    let body: unknown;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch {
      return reject(res, 400, 'body is neither a form nor JSON'); // Bolt's own parse, so the same bodies fail
    }
    const why = checkSlackBody(body, o.accepted);
    return why ? reject(res, 400, why) : true;
  };
  receiver.requestListener = (req, res) => {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== EVENTS_PATH) return dispatch(req, res);
    guard(req, res)
      .then((ok) => ok && dispatch(req, res))
      .catch((err: unknown) => {
        o.telemetry.error('slack_dispatch');
        log.error({ err }, 'Slack request failed in the guard');
        if (!res.headersSent) res.writeHead(500).end();
      });
  };
  return receiver;
}

function signed(req: IncomingMessage, body: string, signingSecret: string): boolean {
  const signature = req.headers['x-slack-signature'];
  const timestamp = req.headers['x-slack-request-timestamp'];
  if (typeof signature !== 'string' || typeof timestamp !== 'string') return false;
  return isValidSlackRequest({ signingSecret, body, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) } });
}
