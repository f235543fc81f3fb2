import { z } from 'zod';
import { envName } from './field-schemas.js';

/*
 * Paging besides Slack, for when a channel alone will not wake anyone (issue 17). The file names
 * environment variables only: the routing key and the webhook secrets are read at load
 * (resolve-paging.ts), never written in the YAML.
 */

/** PagerDuty Events API v2: the integration ("routing") key of an Events API v2 integration. */
export const pagerdutySchema = z.strictObject({
  routingKeyEnv: envName,
});

/*
 * A URL with user:password@ in it is refused: URLs end up in error texts and logs, and the bot
 * signs every body (secretEnv) so the receiver has a secret to check without one.
 */
const webhookUrl = z
  .string()
  .refine((s) => httpUrl(s) !== undefined, 'an http(s) URL like https://ntfy.example.com/moneymind — give the full address')
  .refine((s) => {
    const u = httpUrl(s);
    return !u || (!u.username && !u.password);
  }, 'has a user name or password in it (user:pass@) — remove them; the receiver checks the X-MoneyMind-Signature header (secretEnv) instead');

export const webhookSchema = z.strictObject({
  url: webhookUrl,
  /** The variable holding the HMAC-SHA256 key the body is signed with (X-MoneyMind-Signature). */
  secretEnv: envName,
});

export const webhooksSchema = z
  .array(webhookSchema)
  .max(10, 'at most 10 webhooks — fan out at the receiver instead')
  .default([])
  .superRefine((hooks, ctx) => {
    hooks.forEach((h, i) => {
      const first = hooks.findIndex((o) => o.url === h.url);
      if (first !== i) ctx.addIssue({ code: 'custom', path: [i, 'url'], message: `the same URL as webhooks[${first}] — remove one of them` });
    });
  });

/** An http(s) URL, parsed; undefined for anything else. */
export function httpUrl(s: string): URL | undefined {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
  } catch {
    return undefined;
  }
}
