import type { Logger } from 'pino';
import type { Telemetry } from '../ops/telemetry.js';

export type SlackState = 'connecting' | 'connected' | 'disconnected' | 'http';

/** A connection lost sooner than this after it opened counts as a failed attempt. */
const SHORT_LIVED_MS = 10_000;

/** One way of reaching Slack: HTTP mode checks the token; Socket Mode also opens the socket. */
export interface LinkAttempt {
  /** Resolves once Slack is reached; rejects when it is not. */
  connect(): Promise<void>;
  /** Resolves when a connection that was up is lost (never, in HTTP mode). */
  lost(): Promise<void>;
  /** Gives up an attempt or connection: a socket half open, or shutdown. */
  abort(): Promise<void>;
  /** The state once connected: 'connected' (socket) or 'http' (nothing held open). */
  readonly upState: 'connected' | 'http';
}

export interface LinkOptions {
  readonly log: Logger;
  readonly telemetry: Telemetry;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** An attempt still pending after this is aborted and retried (a socket that never says hello). */
  readonly attemptTimeoutMs?: number;
  /** Called each time Slack is reached. */
  readonly onConnected?: () => void;
}

/**
 * Keeps trying to reach Slack, in the background, for as long as the bot runs: nothing at start
 * waits for it, so a Slack incident or a network blip at boot no longer ends the process. Retries
 * back off exponentially (1 s, 2 s, 4 s … capped at a minute, with jitter so bots restarted
 * together do not retry in step); every failure is logged and counted as
 * moneymind_slack_api_errors_total{where="connect"}. A lost socket is reopened at once, or with the
 * same backoff when it keeps dropping right after it opened.
 */
export class SlackLink {
  private current: SlackState = 'connecting';
  private error: string | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private readonly base: number;
  private readonly max: number;
  private readonly timeout: number;

  constructor(
    private readonly attempt: LinkAttempt,
    private readonly opts: LinkOptions,
  ) {
    this.base = opts.baseDelayMs ?? 1000;
    this.max = opts.maxDelayMs ?? 60_000;
    this.timeout = opts.attemptTimeoutMs ?? 30_000;
  }

  state(): SlackState {
    return this.current;
  }

  /** Why the last attempt failed, while Slack is not reached. */
  lastError(): string | undefined {
    return this.current === this.attempt.upState ? undefined : this.error;
  }

  /** Starts the loop and returns at once. */
  start(): void {
    void this.run().catch((err: unknown) => this.opts.log.error({ err }, 'the Slack connection loop stopped'));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.attempt.abort();
  }

  private async run(): Promise<void> {
    for (let failures = 0; !this.stopped; ) {
      try {
        await this.withTimeout(this.attempt.connect());
        if (this.stopped) return;
        this.current = this.attempt.upState;
        this.opts.log.info({ afterFailures: failures }, 'Slack reached');
        const since = Date.now();
        this.opts.onConnected?.();
        await Promise.race([this.attempt.lost(), new Promise<void>((r) => (this.wake = r))]);
        if (this.stopped) return;
        this.current = 'disconnected';
        this.error = 'connection lost';
        this.opts.telemetry.slackError('connect', 'connection lost');
        // Slack closes sockets routinely (a refresh every few hours): reconnect at once. One that
        // keeps dropping right after it opened backs off like a failed attempt.
        failures = Date.now() - since < SHORT_LIVED_MS ? failures + 1 : 0;
        const delay = failures ? backoffMs(failures, this.base, this.max) : 0;
        this.opts.log.warn({ retryInMs: delay }, 'Slack connection lost; reconnecting');
        if (delay) await this.sleep(delay);
      } catch (err) {
        if (this.stopped) return;
        failures++;
        this.error = reasonOf(err);
        const delay = backoffMs(failures, this.base, this.max);
        this.opts.telemetry.slackError('connect', err instanceof LinkStepError ? err.label : this.error);
        this.opts.log.warn({ attempt: failures, retryInMs: delay, reason: this.error }, 'Slack not reachable; retrying');
        await this.sleep(delay);
      }
    }
  }

  private async withTimeout(p: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void this.attempt.abort().catch((err: unknown) => this.opts.log.warn({ err }, 'could not abort a Slack connection attempt'));
        reject(new Error(`no connection within ${this.timeout} ms`));
      }, this.timeout);
    });
    try {
      await Promise.race([p, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
}

/** The delay before retry number `failures` (1, 2, …): doubling from `base`, capped at `max`, minus up to 25 % jitter. */
export function backoffMs(failures: number, base: number, max: number, random: () => number = Math.random): number {
  const exact = Math.min(max, base * 2 ** Math.min(failures - 1, 30));
  return Math.round(exact * (1 - 0.25 * random()));
}

/** A failed step of an attempt, named so the reason says which call and which token to look at. */
export class LinkStepError extends Error {
  /** Short and bounded, for a metric label: `auth.test: invalid_auth`. */
  readonly label: string;

  constructor(step: string, token: string, original: unknown) {
    super(`${step} (${token}): ${reasonOf(original)}`);
    this.label = `${step}: ${reasonOf(original)}`;
  }
}

/** A short, bounded reason: Slack's error code, an HTTP status, or the network error's code. */
function reasonOf(err: unknown): string {
  if (err instanceof LinkStepError) return err.message;
  const e = err as { code?: string; data?: { error?: string }; statusCode?: number; original?: { cause?: { code?: string } }; message?: string };
  if (e.data?.error) return e.data.error;
  if (e.statusCode) return `HTTP ${e.statusCode}`;
  if (e.original?.cause?.code) return e.original.cause.code;
  return (e.message ?? String(err)).slice(0, 80);
}
