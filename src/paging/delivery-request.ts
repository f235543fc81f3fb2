import type { PageTarget } from '../config/types.js';
import type { DeliveryRow } from '../store/deliveries.js';
import type { PageRequestHttp } from './page-http.js';
import { pagerdutyEvent } from './pagerduty-event.js';
import { webhookBody, webhookHeaders } from './webhook-event.js';

/**
 * A stored delivery → the POST its target gets, built when it is sent: the Slack thread it links
 * is the one known by then, the secret is never stored. Undefined: the target has no such event.
 */
export function deliveryRequest(target: PageTarget, row: DeliveryRow, nowMs: number): PageRequestHttp | undefined {
  if (target.kind === 'pagerduty') {
    const event = pagerdutyEvent(row, target.routingKey.reveal());
    return event && { url: target.url, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) };
  }
  const body = webhookBody(row);
  return { url: target.url, headers: webhookHeaders(target.secret.reveal(), body, row, nowMs), body };
}
