import { OpsError } from '../../src/errors.js';
import type { ExecResult, HostTransport } from '../../src/remote/host-transport.js';
import { fixture } from '../fixture.js';

/** What a host says, everywhere it says something: each field may carry secrets. */
export interface HostText {
  /** The /health body's "error". */
  readonly healthError: string;
  /** Error lines of the app log (a timestamp is put in front of each). */
  readonly logLines: readonly string[];
  /** The closing line of a traceback in the log. */
  readonly exceptionLine: string;
  /** What systemctl printed on stderr when it could not answer. */
  readonly serviceError: string;
  /** The port probe fails with this in its error. */
  readonly portError: string;
  /** MySQL refuses the monitor user with this. */
  readonly dbError: string;
  /** Arguments of the app's process, as ps shows them. */
  readonly processArgs: string;
  /** Lines of the unit file (the bundle's service-config section): may span lines (a key). */
  readonly unitFile: string;
}

const NOW = '2024-01-15 10:25:00';
const stamp = (i: number): string => `2024-01-15 10:2${i % 5}:${String(10 + i).slice(-2)},120`;

/**
 * A host that answers every probe of the bot (health, service, port, resources, db, logs, the
 * support bundle) with real captured output around the given host text. Dispatches on the fixed
 * command templates, as a real shell would run them.
 */
export function fakeHost(h: HostText): HostTransport {
  const log = [
    `${stamp(0)} INFO: MoneyMind starting [in /opt/moneymind/app.py:12]`,
    ...h.logLines.map((l, i) => `${stamp(i + 1)} ERROR: ${l} [in /opt/moneymind/app.py:88]`),
    `${stamp(9)} ERROR: Exception on /report [GET] [in /opt/moneymind/app.py:1414]`,
    'Traceback (most recent call last):',
    '  File "/opt/moneymind/venv/lib/python3.11/site-packages/flask/app.py", line 1455, in wsgi_app',
    h.exceptionLine,
  ].join('\n');
  // A function, not a string: `$'` in a secret must not act as a replacement pattern.
  const ps = fixture('ps.txt').replace('/usr/bin/python3 app.py', () => `/usr/bin/python3 app.py moneymind ${h.processArgs}`);
  const ok = (stdout: string, stderr = '', code = 0): ExecResult => ({ code, signal: null, stdout, stderr, truncated: false, durationMs: 4 });
  return {
    description: 'fake host',
    async exec(command) {
      if (command.includes('@@os')) {
        const sections = {
          os: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"',
          kernel: 'Linux 6.1.0-18-amd64',
          uptime: ' 10:25:00 up 3 days',
          python: 'Python 3.11.2',
          service: `● moneymind.service\n   Active: failed`,
          'service-config': h.unitFile,
          memory: fixture('free.txt'),
          load: '0.10 0.10 0.10 1/300 9\n2',
          disk: fixture('df-P.txt'),
          processes: ps,
          listeners: fixture('ss-tlnp-listening.txt'),
          log,
        };
        return ok(
          Object.entries(sections)
            .map(([k, v]) => `@@${k}\n${v}`)
            .join('\n'),
        );
      }
      if (command.includes('@@loadavg'))
        return ok(
          ['@@loadavg', '0.10 0.10 0.10 1/300 9', '@@nproc', '2', '@@meminfo', fixture('meminfo.txt'), '@@df', fixture('df-P.txt'), '@@ps', ps].join('\n'),
        );
      if (command.includes('systemctl show')) return ok('', `${h.serviceError}\n`, 1);
      if (command.includes('@@log')) return ok(`@@now\n${NOW}\n@@log\n${log}\n@@journal\n@@kernel\n`);
      if (command.includes('ss -tlnp')) throw new OpsError('EXEC_FAILED', `ss failed: ${h.portError}`);
      throw new OpsError('EXEC_FAILED', `unexpected command: ${command.slice(0, 60)}`);
    },
    async httpGet() {
      return { status: 500, body: JSON.stringify({ status: 'unhealthy', error: h.healthError }), durationMs: 12 };
    },
    async withMysql() {
      throw new OpsError('DB_AUTH', `MySQL refused user monitor: ${h.dbError}`, { fix: 'check mysql.passwordEnv' });
    },
    async close() {},
  };
}
