import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/log/create-logger.js';
import { PromTelemetry } from '../../src/ops/prom-telemetry.js';
import { backoffMs, type LinkAttempt, LinkStepError, SlackLink } from '../../src/slack/slack-link.js';
import { waitUntil } from '../support/proc.js';

describe('backoff between attempts to reach Slack', () => {
  const table: [failures: number, random: number, ms: number][] = [
    [1, 0, 1000],
    [2, 0, 2000],
    [3, 0, 4000],
    [6, 0, 32_000],
    [7, 0, 60_000], // capped
    [500, 0, 60_000], // no overflow after days of outage
    [3, 1, 3000], // jitter only shortens, never past the cap
  ];
  for (const [failures, random, ms] of table) {
    it(`after ${failures} failure(s), random ${random}: ${ms} ms`, () =>
      assert.equal(
        backoffMs(failures, 1000, 60_000, () => random),
        ms,
      ));
  }
});

describe('SlackLink', () => {
  it('retries until Slack answers, says why meanwhile, reconnects when the connection is lost', async () => {
    // An attempt driven by the test: Slack refuses twice, then answers when the test says so; the
    // connection drops once.
    let tries = 0;
    let drop: (() => void) | undefined;
    let answer: (() => void) | undefined;
    const answered = new Promise<void>((r) => (answer = r));
    const attempt: LinkAttempt = {
      upState: 'connected',
      connect: async () => {
        tries++;
        if (tries <= 2)
          throw new LinkStepError(
            'auth.test',
            'SLACK_BOT_TOKEN',
            Object.assign(new Error('An API error occurred: invalid_auth'), { data: { error: 'invalid_auth' } }),
          );
        if (tries === 3) await answered;
      },
      lost: () => new Promise<void>((r) => (drop = r)),
      abort: async () => undefined,
    };
    const telemetry = new PromTelemetry();
    let connected = 0;
    const link = new SlackLink(attempt, { log: createLogger({ level: 'silent' }), telemetry, baseDelayMs: 20, maxDelayMs: 50, onConnected: () => connected++ });
    assert.equal(link.state(), 'connecting');
    link.start();
    await waitUntil('the third attempt', async () => (tries === 3 ? true : undefined), { timeoutMs: 5000, intervalMs: 5 });
    assert.equal(link.state(), 'connecting');
    assert.equal(link.lastError(), 'auth.test (SLACK_BOT_TOKEN): invalid_auth');
    answer?.();
    await waitUntil('connected', async () => (link.state() === 'connected' ? true : undefined), { timeoutMs: 5000, intervalMs: 5 });
    assert.equal(link.lastError(), undefined);
    assert.equal(tries, 3);
    assert.equal(connected, 1);
    assert.match(
      await telemetry.registry.getSingleMetricAsString('moneymind_slack_api_errors_total'),
      /\{where="connect",reason="auth.test: invalid_auth"\} 2/,
    );
    drop?.();
    await waitUntil('reconnected', async () => (tries === 4 && link.state() === 'connected' ? true : undefined), { timeoutMs: 5000, intervalMs: 5 });
    assert.equal(connected, 2);
    await link.stop();
  });

  it('an attempt that hangs is aborted after attemptTimeoutMs and tried again', async () => {
    let tries = 0;
    let aborted = 0;
    const attempt: LinkAttempt = {
      upState: 'http',
      connect: () => (++tries === 1 ? new Promise<void>(() => undefined) : Promise.resolve()),
      lost: () => new Promise<void>(() => undefined),
      abort: async () => void aborted++,
    };
    const link = new SlackLink(attempt, { log: createLogger({ level: 'silent' }), telemetry: new PromTelemetry(), baseDelayMs: 10, attemptTimeoutMs: 100 });
    link.start();
    await waitUntil('reached', async () => (link.state() === 'http' ? true : undefined), { timeoutMs: 5000, intervalMs: 10 });
    assert.equal(tries, 2);
    assert.equal(aborted, 1);
    await link.stop();
  });
});
