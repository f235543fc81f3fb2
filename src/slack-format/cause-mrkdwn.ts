import type { Cause } from '../diagnosis/cause.js';

export interface CauseLayout {
  /** Composed mrkdwn before the title: `*Likely cause: ID*`, `*ID* (critical)`. */
  readonly head: string;
  /** How many evidence lines to show. */
  readonly evidence: number;
  /** Budgets for the host text in it, so the paragraph fits where it goes. */
  readonly max: { readonly title: number; readonly evidence: number; readonly advice: number };
  /** A sentence after the advice, inside its italics (see render/labels' restartNote); '' for none. */
  readonly restart: string;
}

/**
 * A likely cause in mrkdwn, as a status report, an alert's thread and a restart's outcome show it:
 * head — title, the evidence as bullets, then the runbook's advice in italics. `quote` escapes and
 * clips host text (each message counts or redacts in its own way); the head is the caller's mrkdwn.
 */
export function causeMrkdwn(c: Cause, l: CauseLayout, quote: (text: string, max: number) => string): string {
  const evidence = c.evidence
    .slice(0, l.evidence)
    .map((e) => `• ${quote(e, l.max.evidence)}`)
    .join('\n');
  const restart = l.restart ? ` ${l.restart}` : '';
  return `${l.head} — ${quote(c.title, l.max.title)}\n${evidence}\n_${quote(c.advice, l.max.advice)}${restart}_`;
}
