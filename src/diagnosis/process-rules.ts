import { findCheck } from '../checks/check-types.js';
import type { Rule } from './cause.js';
import { Evidence } from './evidence.js';

/**
 * Waitress' threads are stuck, not busy: the queue depth only rose for minutes (see hungQueue).
 * More threads would only get stuck too; the blocking call has to be found.
 */
export const workersHung: Rule = ({ checks }) => {
  const logs = findCheck(checks, 'logs');
  const health = findCheck(checks, 'health');
  const hung = logs?.details?.signals['workers-hung'];
  if (!hung) return null;
  const evidence = new Evidence();
  const failing = health?.status === 'fail';
  if (failing) evidence.quote('health', health.summary);
  evidence.quote('logs', hung.evidence);
  return {
    id: 'workers-hung',
    severity: failing ? 'critical' : 'warning',
    title: 'Every Waitress thread is stuck: requests queue and none finishes (the queue never drained).',
    evidence: evidence.lines,
    advice:
      'Find the blocking call before restarting: py-spy dump --pid PID shows where each thread waits; ' +
      'check MySQL for long queries and lock waits (SHOW FULL PROCESSLIST, the slow-query log) and outbound calls without timeouts. ' +
      'Then restart; raising threads= only adds threads that get stuck the same way.',
    restartHelps: true,
    quotes: evidence.quotes,
  };
};

/** gunicorn killed workers that did not answer within --timeout (or the kernel killed them). */
export const workerTimeout: Rule = ({ checks }) => {
  const logs = findCheck(checks, 'logs');
  const s = logs?.details?.signals['worker-timeout'];
  if (!s || !logs?.details) return null;
  const d = logs.details;
  const sigkill = d.workerKillSignals.includes('SIGKILL');
  return {
    id: 'worker-timeout',
    severity: d.workerTimeouts > 0 ? 'critical' : 'warning',
    title:
      d.workerTimeouts > 0
        ? `gunicorn killed ${d.workerTimeouts} worker${d.workerTimeouts === 1 ? '' : 's'} that did not answer within its timeout; their requests failed.`
        : `gunicorn workers died (${d.workerKillSignals.join(', ')}); their requests failed.`,
    evidence: [s.evidence],
    advice:
      'A request blocked longer than --timeout (default 30 s): find the slow call ' +
      '(the access log around the kill, slow queries, outbound calls without timeouts). ' +
      `${sigkill ? "SIGKILL without a timeout usually means the OOM killer: check the kernel log and the app's memory. " : ''}` +
      'Raise --timeout only for endpoints that are slow on purpose.',
    restartHelps: false,
    quotes: ['logs'],
  };
};

/**
 * The kernel's OOM killer (or systemd-oomd) killed a process, and the logs say which: the app, the
 * database, or another process. A cgroup's limit (MemoryMax=, a container limit) is not the host.
 */
export const appOomKilled: Rule = ({ checks }) => {
  const logs = findCheck(checks, 'logs');
  const s = logs?.details?.signals['oom-kill'];
  const d = logs?.details;
  if (!s || !d) return null;
  const kills = d.oomKills ?? [];
  const app = kills.filter((k) => k.victim === 'app');
  const db = kills.filter((k) => k.victim === 'db');
  const unitSays = (d.crashes?.oomKills ?? 0) > 0;
  const memcg = kills.some((k) => k.memcg && k.victim !== 'other');
  const limit = memcg ? " Its cgroup's memory limit ran out (MemoryMax= / the container's limit), not the host's memory." : '';
  let title: string;
  let severity: 'critical' | 'warning' = 'critical';
  if (app.length || (unitSays && !db.length)) {
    const k = app[app.length - 1];
    title = `The OOM killer killed the app${k ? ` (${k.name}, pid ${k.pid ?? '?'})` : ''}${app.length > 1 ? ` ${app.length} times` : ''}.${limit}`;
  } else if (db.length) {
    const k = db[db.length - 1]!;
    title = `The OOM killer killed the database (${k.name}, pid ${k.pid ?? '?'}), not the app.${limit}`;
  } else {
    const k = kills[kills.length - 1];
    title = `The OOM killer killed another process${k ? ` (${k.name}, pid ${k.pid ?? '?'})` : ''}; the host is short of memory.`;
    severity = 'warning';
  }
  return {
    id: 'app-oom-killed',
    severity,
    title,
    evidence: [s.evidence],
    advice: memcg
      ? "Raise the cgroup's limit (systemctl set-property SERVICE MemoryMax=…, or the container's memory limit) " +
        'or find what grows (memory-growth, a leak of sessions or caches).'
      : "Find what uses the memory (ps aux --sort=-rss | head; the app's RSS trend), add memory or swap, " +
        'or cap the app (MemoryMax=) so it, not MySQL, is what gets killed. ' +
        'The process manager restarts a killed app by itself; a restart by hand frees nothing more.',
    restartHelps: false,
    quotes: ['logs'],
  };
};

/** The process manager keeps restarting the app, or gave up: the app dies soon after each start. */
export const crashLoop: Rule = ({ checks }) => {
  const logs = findCheck(checks, 'logs');
  const service = findCheck(checks, 'service');
  const s = logs?.details?.signals['crash-loop'];
  const c = logs?.details?.crashes;
  if (!s || !c) return null;
  const down = service?.details ? service.details.state !== 'running' : false;
  const evidence = new Evidence();
  evidence.quote('logs', s.evidence);
  if (down && service) evidence.quote('service', service.summary);
  return {
    id: 'crash-loop',
    // supervisord may restart forever without "gave up" (a program that reached RUNNING first).
    severity: c.gaveUp || down || c.exits >= 3 ? 'critical' : 'warning',
    title: c.gaveUp
      ? `The app kept crashing and ${c.manager === 'systemd' ? 'systemd' : 'supervisord'} gave up restarting it.`
      : `The app crashed ${c.exits} times in the window and was restarted each time.`,
    evidence: evidence.lines,
    advice:
      c.manager === 'systemd'
        ? 'Read why it exits right after starting: journalctl -u SERVICE -n 100 (the first error after each "Started"). ' +
          'Fix that first; systemctl reset-failed SERVICE then lets it start again.'
        : 'Read why it exits right after starting: supervisorctl tail -8000 NAME stderr. Fix that first; supervisorctl start NAME then starts it again.',
    restartHelps: false,
    quotes: evidence.quotes,
  };
};
