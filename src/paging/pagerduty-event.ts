import { clip } from '../boundary/clip.js';
import type { DeliveryRow, PageNotice } from '../store/deliveries.js';
import { dedupKey, slackThreadUrl } from './delivery-refs.js';

/** PagerDuty Events API v2's body (POST /v2/enqueue). */
export interface PagerDutyEvent {
  readonly routing_key: string;
  readonly event_action: 'trigger' | 'acknowledge' | 'resolve';
  readonly dedup_key: string;
  readonly payload?: {
    readonly summary: string;
    readonly source: string;
    readonly severity: 'critical' | 'error' | 'warning' | 'info';
    readonly timestamp: string;
    readonly class: string;
    readonly group: string;
    readonly custom_details: Record<string, unknown>;
  };
  readonly links?: readonly { readonly href: string; readonly text: string }[];
  readonly client: string;
  readonly client_url?: string;
}

// PagerDuty's limits: summary 1024 characters, source and dedup_key 255.
const SUMMARY_MAX = 1024;
const SOURCE_MAX = 255;

/**
 * Pure: a stored delivery → PagerDuty's event, or undefined for an event it has no action for.
 * Only a trigger carries a payload (acknowledge and resolve ignore one); the Slack thread is linked
 * when its parent is out by the time this is sent.
 */
export function pagerdutyEvent(row: DeliveryRow, routingKey: string): PagerDutyEvent | undefined {
  if (row.event !== 'trigger' && row.event !== 'acknowledge' && row.event !== 'resolve') return undefined;
  const thread = slackThreadUrl(row);
  const base = { routing_key: routingKey, event_action: row.event, dedup_key: dedupKey(row), client: 'MoneyMind ops bot' };
  if (row.event !== 'trigger') return base;
  const n = JSON.parse(row.notice) as PageNotice;
  return {
    ...base,
    payload: {
      summary: clip(`${n.subject}: ${n.cause}${n.flapping ? ' (flapping)' : ''} — ${n.title}`, SUMMARY_MAX),
      // The host for a host's incident; a shared database's or a bastion's outage names its subject.
      source: clip(n.hosts.length === 1 ? n.hosts[0]! : n.subject, SOURCE_MAX),
      severity: n.severity,
      timestamp: new Date(n.at).toISOString(),
      class: n.cause,
      group: 'moneymind',
      custom_details: {
        incident: row.key,
        cause: n.cause,
        hosts: n.hosts,
        title: n.title,
        evidence: n.evidence,
        ...(n.advice ? { advice: n.advice } : {}),
        opened_at: new Date(row.opened_at).toISOString(),
      },
    },
    ...(thread ? { links: [{ href: thread, text: 'Slack alert thread' }], client_url: thread } : {}),
  };
}
