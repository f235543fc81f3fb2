import { Secret } from '../src/config/secret.js';
import type { Config } from '../src/config/types.js';
import { botServices } from '../src/app/bot-services.js';
import type { Logger } from 'pino';
import { TransportPool } from '../src/remote/transport-pool.js';
import { createSlackApp } from '../src/slack/create-slack-app.js';
import { freePort } from '../test/support/free-port.js';
import { startSlackDouble } from '../test/support/slack-double.js';
import { slackSender } from '../test/support/slack-requests.js';

/**
 * Slash-command acks through Bolt's real HTTP receiver, signed like Slack's, while `status all`
 * over every configured host runs in the same bot. The acks measured start no work of their own
 * (help, hosts), so they time the ack path under load. `beforeLoad` runs once the connections are
 * open (the benchmark renices the hosts there).
 */
export async function ackLatency(config: Config, log: Logger, beforeLoad: () => void = () => {}): Promise<{ acks: number[]; statusMs: number[] }> {
  const slack = await startSlackDouble();
  const pool = new TransportPool(log);
  const services = botServices({ config, transportFor: (h) => pool.get(h), clock: Date.now, log });
  const port = await freePort();
  const app = createSlackApp(
    { mode: 'http', botToken: new Secret('xoxb-bench'), signingSecret: new Secret('bench'), port, apiUrl: slack.apiUrl },
    services,
    log,
  );
  await app.start();
  try {
    await services.checkHosts(config.hosts, ['health']); // opens the connections, as a running bot has them
    beforeLoad();
    const send = slackSender(`http://127.0.0.1:${port}`, slack, 'bench');
    // The load never pauses: a new `status all` starts as soon as the last one is answered, so
    // every ack counted was served while one ran.
    let stop = false;
    const statusMs: number[] = [];
    const load = (async () => {
      while (!stop) {
        const t0 = performance.now();
        const big = await send.command('status all');
        await slack.waitFor((c) => c.path === `/response/${big.id}`, 120_000);
        statusMs.push(performance.now() - t0);
      }
    })();
    const acks: number[] = [];
    for (let i = 0; i < 200; i++) acks.push((await send.command(i % 2 ? 'help' : 'hosts')).ms);
    stop = true;
    await load;
    return { acks, statusMs };
  } finally {
    await app.stop();
    await pool.closeAll();
    await slack.close();
  }
}
