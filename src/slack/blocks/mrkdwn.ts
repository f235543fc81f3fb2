/** Small Block Kit pieces the message builders share. */

/** A section within Slack's 3000-character limit. */
export function section(text: string): Record<string, unknown> {
  return { type: 'section', text: { type: 'mrkdwn', text: text.length > 3000 ? `${text.slice(0, 2999)}…` : text } };
}

/** Slack renders it in each reader's own time zone; the fallback (old clients) is UTC. */
export function slackDate(ms: number, format: '{time}' | '{date_short_pretty} {time}' = '{date_short_pretty} {time}'): string {
  const iso = new Date(ms).toISOString();
  const fallback = format === '{time}' ? `${iso.slice(11, 16)} UTC` : `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^${format}|${fallback}>`;
}
