import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Env } from './load-config.js';
import { httpUrl, pagerdutySchema, webhookSchema } from './paging-schema.js';
import { readEnvSecret } from './read-env-secret.js';
import type { PageTarget } from './types.js';

/** Where PagerDuty's Events API v2 takes events; PAGERDUTY_EVENTS_URL overrides it (a proxy, a test double). */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';
/** An HMAC key shorter than this is guessable offline from one signed body. */
const MIN_WEBHOOK_SECRET = 16;

type PagingFile = { readonly pagerduty?: z.output<typeof pagerdutySchema> | undefined; readonly webhooks: readonly z.output<typeof webhookSchema>[] };

/**
 * The file's `pagerduty:` and `webhooks:` → paging targets, their secrets read from `env` (as
 * `Secret`s, which the process's redactor then masks like any other). An unset variable, a short
 * webhook secret or a bad PAGERDUTY_EVENTS_URL is a problem naming the field and the fix.
 */
export function resolvePaging(file: PagingFile, env: Env, problems: string[]): PageTarget[] {
  const targets: PageTarget[] = [];
  if (file.pagerduty) {
    const routingKey = readEnvSecret('pagerduty.routingKeyEnv', file.pagerduty.routingKeyEnv, env, problems);
    targets.push({ kind: 'pagerduty', id: 'pagerduty', label: 'pagerduty', url: eventsUrl(env, problems), routingKey });
  }
  file.webhooks.forEach((h, i) => {
    const secret = webhookSecret(i, h.secretEnv, env, problems);
    // The id is the URL's hash, not its index: reordering the list leaves pending deliveries with their receiver.
    const id = `webhook:${createHash('sha256').update(h.url).digest('hex').slice(0, 16)}`;
    targets.push({ kind: 'webhook', id, label: `webhooks[${i}] (${httpUrl(h.url)?.host ?? '?'})`, url: h.url, secret });
  });
  return targets;
}

/**
 * For a document the schema refused: the paging secrets whose own fields are valid are looked up
 * anyway, so the one error lists an unset variable beside the schema's problems.
 */
export function checkRawPagingSecrets(doc: unknown, env: Env, problems: string[]): void {
  if (!isRecord(doc)) return;
  const pd = isRecord(doc.pagerduty) ? pagerdutySchema.shape.routingKeyEnv.safeParse(doc.pagerduty.routingKeyEnv) : undefined;
  if (pd?.success) readEnvSecret('pagerduty.routingKeyEnv', pd.data, env, problems);
  if (!Array.isArray(doc.webhooks)) return;
  doc.webhooks.forEach((h: unknown, i) => {
    const name = isRecord(h) ? webhookSchema.shape.secretEnv.safeParse(h.secretEnv) : undefined;
    if (name?.success) webhookSecret(i, name.data, env, problems);
  });
}

function webhookSecret(i: number, name: string, env: Env, problems: string[]) {
  const field = `webhooks[${i}].secretEnv`;
  const secret = readEnvSecret(field, name, env, problems);
  const length = secret.reveal().length;
  if (length > 0 && length < MIN_WEBHOOK_SECRET)
    problems.push(
      `${field}: ${name} is shorter than ${MIN_WEBHOOK_SECRET} characters — export ${name}="$(openssl rand -hex 32)" and give the receiver the same value`,
    );
  return secret;
}

function eventsUrl(env: Env, problems: string[]): string {
  const given = env.PAGERDUTY_EVENTS_URL;
  if (given === undefined || given === '') return PAGERDUTY_EVENTS_URL;
  const u = httpUrl(given);
  // The value itself is not repeated: a URL can carry credentials.
  if (!u || u.username || u.password) {
    problems.push(`PAGERDUTY_EVENTS_URL: not an http(s) URL without user:pass@ — unset it to use ${PAGERDUTY_EVENTS_URL}, or give the full URL of the double`);
    return PAGERDUTY_EVENTS_URL;
  }
  return given;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
