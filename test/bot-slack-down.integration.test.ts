import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnBot } from './support/bot-process.js';
import { writeConfigFile } from './support/config.js';
import { freePort } from './support/free-port.js';
import { waitUntil } from './support/proc.js';
import { startSlackDouble, type SlackDouble } from './support/slack-double.js';
import { CALM_MACHINE } from './support/test-thresholds.js';

/*
 * Start-up never depends on Slack. The bot process starts while the Web API double cuts every
 * connection (a Slack incident, a network blip at boot): /healthz listens anyway and
 * says 503 "slack: connecting"; the watcher runs, finds its host failing and queues the alert in
 * the outbox. Then the double comes up: the bot reaches it, the queued
 * alert is posted once, and /healthz turns 200.
 *
 * The host is the built-in `local` kind with its health URL and port on a free port where nothing
 * listens, and thresholds no busy machine reaches (load, disk, memory), so its one incident is the
 * app being down. Waits are polls with generous deadlines: Slack is retried with backoff (1, 2,
 * 4 … s), the outbox too (2, 4, 8 … s), so the exact moment is not the test's business.
 */
const CHANNEL = 'C0ALERTS01';
const dirs: string[] = [];
const doubles: SlackDouble[] = [];
after(async () => {
  for (const d of doubles) await d.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const get = (url: string) =>
  fetch(url).then(
    async (r) => ({ status: r.status, text: await r.text() }),
    () => undefined,
  );

describe('the bot starts with Slack down and catches up when it comes back', () => {
  for (const mode of ['socket', 'http'] as const) {
    it(`${mode === 'socket' ? 'Socket Mode' : 'HTTP mode'}: /healthz 503 "slack: connecting", the alert queued, then posted once`, async () => {
      const cwd = mkdtempSync(join(tmpdir(), `mm-slack-down-${mode}-`));
      dirs.push(cwd);
      const [opsPort, appPort] = [await freePort(), await freePort()];
      // Down from the start, holding its port so nothing else on the machine can answer there.
      const slack = await startSlackDouble({ down: true });
      doubles.push(slack);
      writeConfigFile(join(cwd, 'moneymind.yml'), {
        hosts: [{ name: 'box', transport: 'local', app: { healthUrl: `http://127.0.0.1:${appPort}/health`, port: appPort } }],
        thresholds: CALM_MACHINE,
        slack: { alertChannel: CHANNEL },
        watch: { schedule: '*/1 * * * * *', failuresToAlert: 1, alertWarnings: [] },
      });
      const apiUrl = slack.apiUrl;
      const env: Record<string, string> =
        mode === 'socket' ? { SLACK_APP_TOKEN: 'xapp-test', METRICS_PORT: String(opsPort) } : { SLACK_SIGNING_SECRET: 'down-secret', PORT: String(opsPort) };
      const b = spawnBot(
        { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: apiUrl, MONEYMIND_CONFIG: join(cwd, 'moneymind.yml'), LOG_LEVEL: 'info', ...env },
        { cwd },
      );
      const ops = `http://127.0.0.1:${opsPort}`;
      const opts = (timeoutMs: number) => ({ timeoutMs, intervalMs: 200, describeFailure: () => b.err().slice(-4000) });
      try {
        const early = await waitUntil('/healthz to listen', () => get(`${ops}/healthz`), opts(30_000));
        assert.equal(early.status, 503, early.text);
        assert.match(early.text, /"problems":\[[^\]]*"slack: connecting/);
        assert.match(early.text, /"slack":"connecting"/);

        // The watcher runs meanwhile: its alert was refused (the connection cut) and stays queued.
        await waitUntil(
          'the alert to be refused and kept',
          async () => (/moneymind_slack_api_errors_total\{where="alert"/.test((await get(`${ops}/metrics`))?.text ?? '') ? true : undefined),
          opts(60_000),
        );
        assert.match((await get(`${ops}/metrics`))?.text ?? '', /moneymind_slack_api_errors_total\{where="connect",reason="auth\.test: [^"]+"\} [1-9]/);
        const still = await get(`${ops}/healthz`);
        assert.equal(still?.status, 503);
        assert.match(still?.text ?? '', /slack: connecting — last attempt: auth\.test \(SLACK_BOT_TOKEN\): /);
        assert.equal(b.child.exitCode, null, 'still running');
        assert.equal(slack.calls.length, 0, 'nothing got through while Slack was down');

        slack.up();
        const parents = () => slack.calls.filter((c) => c.path === '/api/chat.postMessage' && !c.body.thread_ts);
        const parent = await slack.waitFor((c) => c.path === '/api/chat.postMessage' && !c.body.thread_ts, 90_000);
        assert.equal(parent.body.channel, CHANNEL);
        assert.match(String(parent.body.text), /box/);

        const healthy = await waitUntil(
          '/healthz 200',
          async () => {
            const h = await get(`${ops}/healthz`);
            return h?.status === 200 ? h : undefined;
          },
          opts(90_000),
        );
        assert.match(healthy.text, mode === 'socket' ? /"slack":"connected"/ : /"slack":"http"/);
        if (mode === 'socket')
          assert.ok(
            slack.calls.some((c) => c.path === '/api/apps.connections.open'),
            'the socket was opened',
          );

        // More cycles run (one a second) with the incident still open: no second parent.
        await new Promise((r) => setTimeout(r, 3000));
        assert.equal(
          parents().length,
          1,
          `parents: ${parents()
            .map((c) => c.body.text)
            .join(' | ')}`,
        );
        assert.match(b.err(), /"msg":"Slack reached"/);
      } finally {
        assert.equal(await b.stop(), 0, b.err().slice(-4000));
      }
    });
  }
});
