import type { DeliveryRow } from '../store/deliveries.js';

/**
 * The one key every target gets for an incident, on every event and every retry: PagerDuty folds
 * trigger, acknowledge and resolve into one alert by it, and a repeat (at-least-once) changes
 * nothing. The row id alone would be reused by a fresh store while PagerDuty still has the old
 * incident open; with the opening time it is unique per incident.
 */
export function dedupKey(row: Pick<DeliveryRow, 'incident_id' | 'opened_at'>): string {
  return `moneymind-${row.incident_id}-${row.opened_at}`;
}

/**
 * The alert's Slack thread, once its parent was posted (`p` + the ts without its dot is Slack's
 * permalink form; slack.com redirects to the workspace). Undefined before: a page never waits for Slack.
 */
export function slackThreadUrl(row: Pick<DeliveryRow, 'channel' | 'thread_ts'>): string | undefined {
  if (!row.channel || !row.thread_ts) return undefined;
  return `https://slack.com/archives/${encodeURIComponent(row.channel)}/p${row.thread_ts.replace('.', '')}`;
}
