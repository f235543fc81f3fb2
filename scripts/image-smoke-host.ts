/**
 * For scripts/image-smoke.sh: what the image is run against. A real test host (sshd + the stand-in
 * app under supervisord, test/support/test-host.ts) and two Slack Web API doubles, one answering
 * and one unreachable (test/support/slack-double.ts). Writes into DIR:
 *   moneymind.yml  a config for the container: one host at 127.0.0.1 (run it with --network host),
 *                  the key at /run/secrets/moneymind_ssh_key, no watch.store (the image's default)
 *   ssh_key        the client key, owned by uid 1000 and mode 0400: how the README mounts it
 *   helper.env     SLACK_API_URL_UP=…, SLACK_API_URL_DOWN=… for the script to source
 *   ready          written last
 * then waits until SIGTERM/SIGINT or its stdin ends, and stops everything.
 *
 *   node --import tsx scripts/image-smoke-host.ts DIR
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopWhenAsked, writeContainerConfig } from '../test/support/container-smoke.js';
import { startSlackDouble } from '../test/support/slack-double.js';
import { startTestHost } from '../test/support/test-host.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node --import tsx scripts/image-smoke-host.ts DIR\n');
  process.exit(2);
}

const host = await startTestHost();
const up = await startSlackDouble();
const down = await startSlackDouble({ down: true });
let stopping = false;
const stop = async (code = 0): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled([up.close(), down.close(), host.stop()]);
  process.exit(code);
};
stopWhenAsked(stop);

try {
  const yaml = writeContainerConfig(host, dir);
  writeFileSync(join(dir, 'helper.env'), `SLACK_API_URL_UP=${up.apiUrl}\nSLACK_API_URL_DOWN=${down.apiUrl}\n`);
  process.stdout.write(`# ${join(dir, 'moneymind.yml')} (sshd on 127.0.0.1:${host.sshd.port})\n${yaml}`);
  writeFileSync(join(dir, 'ready'), '');
} catch (err) {
  process.stderr.write(`image-smoke-host: ${(err as Error).stack ?? err}\n`);
  await stop(1);
}
