import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Redactor } from '../boundary/redactor.js';
import { secretValues } from '../boundary/secret-values.js';
import type { Env } from '../config/load-config.js';
import { loadOpsSettings } from '../config/ops-settings.js';
import type { SlackSettings } from '../config/slack-settings.js';
import type { Config } from '../config/types.js';
import { opsRoutes, startOpsServer } from '../ops/ops-routes.js';
import { DeliveryPoster } from '../paging/delivery-poster.js';
import type { PromTelemetry } from '../ops/prom-telemetry.js';
import type { TransportPool } from '../remote/transport-pool.js';
import { slackAlertSender } from '../slack/alert-sender.js';
import { createSlackApp, type SlackRunner } from '../slack/create-slack-app.js';
import type { BotStore } from '../store/bot-store.js';
import { OutboxPoster } from '../watch/outbox-poster.js';
import { startWatcher, type Watcher } from '../watch/watcher.js';
import type { BotServices } from './bot-services.js';
import { drawCharts } from './draw-charts.js';
import { Leadership } from '../watch/leadership.js';

export interface SlackModeDeps {
  readonly config: Config;
  readonly slack: Exclude<SlackSettings, { mode: 'none' }>;
  readonly env: Env;
  readonly redactor: Redactor;
  readonly log: Logger;
  readonly telemetry: PromTelemetry;
  readonly pool: TransportPool;
  readonly store: BotStore;
  readonly services: BotServices;
  readonly startedAt: number;
  readonly clock: () => number;
}

export interface SlackMode {
  /** Watcher, Slack, outbox, pages, transports, ops server, store — in that order. */
  stop(): Promise<void>;
}

/**
 * The Bolt adapter with /healthz + /metrics, the outbox poster and the watcher. Nothing here waits
 * for Slack: /healthz listens first (503 "slack: connecting" until Slack is reached), the watcher
 * queues its alerts in the outbox meanwhile, and Slack is retried with backoff in the background.
 */
export async function startSlackMode(d: SlackModeDeps): Promise<SlackMode> {
  const { config, slack, log, telemetry, store, services } = d;
  // Assigned below; the health rule and Slack's reconnect hook read them when called.
  let watcher: Watcher | undefined;
  let app: SlackRunner | undefined;
  let poster: OutboxPoster | undefined;
  let leadership: Leadership | undefined;
  const metrics = loadOpsSettings(d.env, slack.mode);
  d.redactor.addSecrets(secretValues(metrics));
  const ops = opsRoutes(
    telemetry,
    () => ({
      startedAt: d.startedAt,
      watch: watcher ? { lastCycleAt: telemetry.lastCycleAt, staleAfterMs: Math.max(3 * watcher.intervalMs, 180_000) } : undefined,
      slack: app?.state() ?? 'connecting',
      slackError: app?.lastError(),
      leader: leadership?.view(),
    }),
    { metricsToken: metrics.metricsToken },
  );
  // In HTTP mode the Slack port is public, and /metrics with it (host names, incident counts).
  if (slack.mode === 'http' && !metrics.metricsToken) {
    const why = 'METRICS_TOKEN is not set: /metrics is open to anyone who reaches PORT';
    log.warn({}, `${why}; set it and give Prometheus the token`);
  }
  // Alerts refused while Slack was away back off up to 5 min each; once it is back they go now.
  app = createSlackApp(slack, services, log, { ops, telemetry, onSlackReached: () => void poster?.retryNow() });
  const runner = app;
  // HTTP mode serves /healthz and /metrics beside /slack/events, on PORT; Socket Mode needs a port
  // for them (this machine only, unless METRICS_HOST says otherwise).
  const opsServer: Server | undefined = slack.mode === 'socket' ? await startOpsServer(ops, metrics.port, metrics.host) : undefined;
  await runner.start();
  const channel = config.slack.alertChannel;
  // Replicas on one store: one leads the watcher (checks, posts, pages); the others stand by and
  // take over within watch.leaseTtl. A single bot simply always leads.
  const queued = {
    kick: () => {
      poster?.kick();
      pager?.kick();
    },
  };
  if (channel) {
    leadership = new Leadership({
      lease: store.lease,
      holder: services.replica,
      ttlMs: config.watch.leaseTtl,
      log: log.child({ component: 'lease' }),
      onLead: queued.kick,
    });
    const view = leadership.view.bind(leadership);
    services.ledBy(view);
    telemetry.watchLeader(view);
  }
  const lead = leadership;
  const fencing = lead ? { fence: () => lead.fence(), onFenced: () => lead.fencedOut() } : undefined;
  // Pages have their own queue and poster: Slack being down is when a page matters most. Those left
  // from before a restart go out first; one kick tells both posters a cycle or a click queued something.
  const pager = config.paging.length
    ? new DeliveryPoster(store.deliveries, config.paging, log.child({ component: 'paging' }), {
        telemetry,
        ...(fencing ? { fencing: { ...fencing, lease: store.lease } } : {}),
      })
    : undefined;
  await leadership?.start(); // the first attempt before anything is sent: a standby replica sends nothing
  pager?.kick();
  if (channel) {
    const sender = slackAlertSender(slack.botToken.reveal(), slack.apiUrl);
    const drawChart = drawCharts(store, d.clock).thread;
    poster = new OutboxPoster(store, sender, log.child({ component: 'outbox' }), { channel, telemetry, drawChart, ...(fencing ? { fencing } : {}) });
    poster.kick(); // posts left over from before a restart go out first
    services.postsTo(queued);
    watcher = startWatcher({
      config,
      store,
      transportFor: (h) => d.pool.get(h),
      log: log.child({ component: 'watch' }),
      clock: d.clock,
      poster: queued,
      telemetry,
      onReports: (r, at) => services.remember(r, at),
      ...(fencing ? { fencing } : {}),
    });
  } else {
    log.warn({}, 'no slack.alertChannel in the config: the watcher is off (commands still work)');
  }
  const where = opsServer ? `${metrics.host}:${metrics.port}` : 'on the Slack port';
  const watch = channel ? config.watch.schedule : 'off';
  const metricsToken = Boolean(metrics.metricsToken);
  const paging = config.paging.map((t) => t.label);
  const started = { mode: slack.mode, hosts: config.hosts.length, watch, metrics: where, metricsToken, paging };
  log.info(started, 'moneymind bot started');
  return {
    async stop() {
      await watcher?.stop(); // no new cycle; the one in flight finishes
      await runner.stop(); // lets a running restart finish (5 s) or leaves it recorded as running
      await poster?.stop();
      await pager?.stop(); // a page in flight stays queued for the next start
      await leadership?.stop(); // given back: another replica leads at once, not after the TTL
      await d.pool.closeAll();
      opsServer?.close();
      await store.close();
    },
  };
}
