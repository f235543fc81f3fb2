import { clip } from '../boundary/clip.js';
import { redact } from '../boundary/redact.js';

/** One POST to a paging target. */
export interface PageRequestHttp {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * How a target answered: accepted; refused for good (the event itself is invalid: sending it again
 * cannot succeed); or refused for now (rate limit, server error, timeout, network), with the
 * target's Retry-After when it gave one.
 */
export type PageOutcome =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly permanent: boolean; readonly reason: string; readonly retryAfterMs?: number };

/*
 * 400 (PagerDuty: "invalid event"), 413 (too large) and 422 (a receiver's "unprocessable") say the
 * body is wrong: the same body is refused forever. Everything else — 401/403/404 included, a
 * misconfigured receiver someone can fix — is tried again with backoff, at most every 5 minutes.
 */
const PERMANENT = new Set([400, 413, 422]);

/** POSTs with Node's fetch; never throws: a network error or the abort is a retryable outcome. */
export async function postPage(req: PageRequestHttp, signal: AbortSignal, now: () => number = Date.now): Promise<PageOutcome> {
  let res: Response;
  try {
    // A redirect is not followed: the signed body goes only where the config says (a 3xx is retried, and logged).
    res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body, signal, redirect: 'manual' });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const why = e.name === 'TimeoutError' ? 'timed out' : e.name === 'AbortError' ? 'aborted (shutting down)' : (e.cause?.code ?? e.message);
    return { ok: false, permanent: false, reason: `no answer: ${why}` };
  }
  // What the target said back: external text, redacted and clipped before a log line or the store.
  const text = clip(redact(await res.text().catch(() => '')), 300);
  if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), now());
  return {
    ok: false,
    permanent: PERMANENT.has(res.status),
    reason: `HTTP ${res.status}${text ? `: ${text}` : ''}`,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/** Retry-After as seconds or as an HTTP date → milliseconds from now (undefined if absent or unreadable). */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
