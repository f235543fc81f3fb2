import { findCheck } from '../checks/check-types.js';
import type { Rule } from './cause.js';
import { Evidence } from './evidence.js';

const UNREACHABLE_CODES = new Set(['SSH_CONNECT', 'SSH_AUTH', 'SSH_HOSTKEY_MISMATCH']);

/**
 * The host is behind a jump host (ssh.jumpHost) and the bastion itself cannot be reached, refused
 * the bot or offered another host key: nothing is known about the host, and nothing is wrong with
 * it so far as one can tell. The watcher folds every host behind it into one incident.
 */
export const bastionUnreachable: Rule = ({ checks }) => {
  const failed = checks.find((c) => c.error?.jumpHost !== undefined && UNREACHABLE_CODES.has(c.error.code));
  if (!failed?.error) return null;
  const keyProblem = failed.error.code === 'SSH_HOSTKEY_MISMATCH';
  const name = failed.error.jumpHost;
  return {
    id: 'bastion-unreachable',
    severity: 'critical',
    title: keyProblem
      ? `The jump host ${name} answered with a different SSH host key; the bot refuses to go through it.`
      : `The bot cannot log in to the jump host ${name}; this host cannot be checked behind it.`,
    evidence: [failed.error.message],
    quotes: [failed.id],
    advice: keyProblem
      ? `Check on ${name} with ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub; update jumpHosts[].hostKey (or knownHostsPath) only if it was re-installed.`
      : `Check that ${name} is up, its sshd runs and lets the bot in (AllowTcpForwarding must allow the forwarding); the hosts behind it may be fine.`,
    restartHelps: false,
  };
};

/** Runbook cause 5 (network): the bot cannot reach the host at all, so nothing else is known. */
export const hostUnreachable: Rule = ({ checks }) => {
  const failed = checks.find((c) => c.error && c.error.jumpHost === undefined && UNREACHABLE_CODES.has(c.error.code));
  if (!failed?.error) return null;
  const keyProblem = failed.error.code === 'SSH_HOSTKEY_MISMATCH';
  return {
    id: 'host-unreachable',
    severity: 'critical',
    title: keyProblem ? 'The host answered with a different SSH host key; the bot refuses to talk to it.' : 'The bot cannot log in to the host over SSH.',
    evidence: [failed.error.message],
    quotes: [failed.id],
    advice: keyProblem
      ? 'Check on the host with ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub; update ssh.hostKey (or knownHostsPath) only if it was re-installed.'
      : 'Check the machine is up, sshd runs, and the firewall lets the bot in (ufw status / firewall-cmd --list-all).',
    restartHelps: false,
  };
};

/** The service manager says the app is not running (it crashed or was stopped). */
export const serviceDown: Rule = ({ checks }) => {
  const s = findCheck(checks, 'service');
  const d = s?.details;
  if (!s || !d || !['stopped', 'failed', 'not-found'].includes(d.state)) return null;
  const notFound = d.state === 'not-found';
  return {
    id: 'service-down',
    severity: 'critical',
    title: notFound
      ? `The ${d.manager} service ${d.service} does not exist on this host.`
      : `The ${d.manager} service ${d.service} is not running (${d.rawState}).`,
    evidence: [s.summary],
    quotes: ['service'],
    advice: notFound
      ? `Check app.service and app.manager in the config (systemctl list-units | grep ${d.service}, or supervisorctl status).`
      : 'Read the last errors in the app log and journal to see why it stopped, then start it.',
    restartHelps: !notFound,
  };
};

/** Runbook cause 5 (port): the service runs but nothing listens on the app port. */
export const portNotListening: Rule = ({ checks }) => {
  const p = findCheck(checks, 'port');
  const s = findCheck(checks, 'service');
  if (p?.status !== 'fail' || !p.details || p.details.listening) return null;
  if (s?.details && ['stopped', 'failed', 'not-found'].includes(s.details.state)) return null; // service-down explains it
  const port = p.details.port;
  // The service row may be unknown (no systemd, no sudo): then say only what is known, never
  // "the service is not reported down" beside a row that could not be read.
  if (!s || s.status === 'unknown' || s.status === 'fail') {
    return {
      id: 'port-not-listening',
      severity: 'critical',
      title: `Nothing listens on port ${port}, and the service's state is unknown.`,
      evidence: [p.summary, ...(s ? [s.summary] : [])],
      quotes: s ? ['port', 'service'] : ['port'],
      advice:
        `Check that the app runs at all (ps aux | grep ${JSON.stringify(s?.details?.service ?? 'the app')}), ` +
        `then its bind address and port (ss -tlnp | grep ${port}); fix the service row so the bot can see the state.`,
      restartHelps: true,
    };
  }
  return {
    id: 'port-not-listening',
    severity: 'critical',
    title: `Nothing listens on port ${port} although the service is ${s.details?.rawState ?? 'running'}.`,
    evidence: [p.summary, s.summary],
    quotes: ['port', 'service'],
    advice: `Check the bind address and port in the serve() call and for a port conflict (ss -tlnp | grep ${port}); the app may still be starting.`,
    restartHelps: true,
  };
};

/** The runbook's symptom itself: the port is open but /health never answers (hung workers, deadlock). */
export const appUnresponsive: Rule = ({ checks }) => {
  const h = findCheck(checks, 'health');
  const p = findCheck(checks, 'port');
  if (h?.details?.outcome !== 'timeout' || !p?.details?.listening) return null;
  return {
    id: 'app-unresponsive',
    severity: 'critical',
    title: `Port ${p.details.port} is open but ${h.details.url} does not answer.`,
    evidence: [h.summary, p.summary],
    quotes: ['health', 'port'],
    advice:
      'All Waitress threads are likely stuck (slow queries, dead DB connections). ' +
      'Check the log for "Task queue depth" and the DB processlist before restarting.',
    restartHelps: true,
  };
};

/** Runbook cause 3: Waitress has more requests than threads; they queue, then time out. */
export const workersSaturated: Rule = ({ checks }) => {
  const l = findCheck(checks, 'logs');
  const h = findCheck(checks, 'health');
  const queue = l?.details?.signals['queue-depth'];
  // A queue that never drains is workers-hung: "raise threads" would be the wrong advice.
  if (!l?.details || !queue || l.details.signals['workers-hung']) return null;
  const slow = h?.details?.outcome === 'timeout' || h?.status === 'warn';
  const evidence = new Evidence();
  evidence.quote('logs', queue.evidence);
  if (slow && h) evidence.quote('health', h.summary);
  return {
    id: 'workers-saturated',
    severity: slow ? 'critical' : 'warning',
    title: `Waitress is queueing requests (task queue depth up to ${l.details.maxQueueDepth}).`,
    evidence: evidence.lines,
    advice:
      'Raise Waitress capacity: serve(app, threads=8, connection_limit=1000, cleanup_interval=30, channel_timeout=120), ' +
      'and look for slow requests holding threads.',
    restartHelps: true,
    quotes: evidence.quotes,
  };
};
