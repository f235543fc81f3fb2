import { redact } from '../boundary/redact.js';
import { formatDuration } from '../config/duration.js';
import type { AppTarget } from '../config/types.js';
import type { ExecResult } from '../remote/host-transport.js';
import { shq } from '../remote/shell-quote.js';
import type { Check, CheckOutcome } from './check.js';
import { parseProcUptime, parseSystemctlShow } from './parse-systemctl-show.js';
import { parseSupervisorctlStatus } from './parse-supervisorctl-status.js';
import { splitSections } from './sections.js';
import { sudoHint } from './sudo-hint.js';

export interface ServiceDetails {
  readonly manager: 'systemd' | 'supervisor';
  readonly service: string;
  /** Normalised: running | starting | stopping | stopped | failed | not-found | unknown */
  readonly state: 'running' | 'starting' | 'stopping' | 'stopped' | 'failed' | 'not-found' | 'unknown';
  /** As the manager says it: "active (running)", "FATAL". */
  readonly rawState: string;
  readonly pid: number | null;
  readonly uptimeSec: number | null;
  /** systemd counts automatic restarts (NRestarts); supervisor does not, so null there. */
  readonly restarts: number | null;
  readonly message: string | null;
}

const SYSTEMD_PROPS = 'LoadState,ActiveState,SubState,Result,NRestarts,MainPID,ActiveEnterTimestampMonotonic';

/** The command templates, filled only from config values (quoted). */
export function serviceProbeCommand(app: AppTarget): string {
  if (app.manager === 'systemd') {
    // systemctl show needs no privileges. /proc/uptime turns the monotonic start time into an uptime
    // without parsing a localised timestamp.
    return `systemctl show ${shq(app.service)} --no-pager --property=${SYSTEMD_PROPS}; echo @@uptime; cat /proc/uptime`;
  }
  // supervisord's socket is root-only on Debian (chmod 0700), hence sudo -n (never prompts).
  return `sudo -n supervisorctl ${supervisorArgs(app)} status ${shq(app.service)} 2>&1`;
}

export function supervisorArgs(app: AppTarget): string {
  return app.supervisorConfig ? `-c ${shq(app.supervisorConfig)}` : '';
}

export const serviceCheck: Check<'service', ServiceDetails> = {
  id: 'service',
  applies: () => true,
  async run({ host, thresholds, transport }) {
    const res = await transport.exec(serviceProbeCommand(host.app), { timeoutMs: thresholds.commandTimeout, maxBytes: 64 * 1024 });
    return host.app.manager === 'systemd' ? evaluateSystemd(host.app.service, res) : evaluateSupervisor(host.app, res, host.ssh?.username ?? 'the bot user');
  },
};

export function evaluateSystemd(service: string, res: Pick<ExecResult, 'stdout' | 'stderr' | 'code'>): CheckOutcome<ServiceDetails> {
  const sections = splitSections(`@@show\n${res.stdout}`);
  const p = parseSystemctlShow(sections.get('show') ?? '');
  const bootSec = parseProcUptime(sections.get('uptime') ?? '');
  const base = { manager: 'systemd' as const, service, pid: null, uptimeSec: null, restarts: null };
  if (!p.ActiveState) {
    // systemctl could not answer (no systemd on the host, no systemctl, no bus): the state is
    // unknown, not "down"; the fix is usually app.manager.
    const msg = firstLine(res.stderr) || 'systemctl printed nothing';
    const summary = `systemd ${service}: cannot read the state: ${msg}${systemdFix(res)}`;
    return { status: 'unknown', summary, details: { ...base, state: 'unknown', rawState: 'unknown', message: msg }, evidence: [summary] };
  }
  const raw = `${p.ActiveState} (${p.SubState ?? '?'})`;
  const restarts = p.NRestarts !== undefined && /^\d+$/.test(p.NRestarts) ? Number(p.NRestarts) : null;
  const pid = Number(p.MainPID) > 0 ? Number(p.MainPID) : null;
  const enteredUs = Number(p.ActiveEnterTimestampMonotonic);
  const uptimeSec = p.ActiveState === 'active' && enteredUs > 0 && bootSec !== null ? Math.max(0, Math.round(bootSec - enteredUs / 1e6)) : null;
  const state: ServiceDetails['state'] =
    p.LoadState === 'not-found'
      ? 'not-found'
      : p.ActiveState === 'active'
        ? p.SubState === 'running' || p.SubState === 'exited'
          ? 'running'
          : 'starting'
        : p.ActiveState === 'activating' || p.ActiveState === 'reloading'
          ? 'starting'
          : p.ActiveState === 'deactivating'
            ? 'stopping'
            : p.ActiveState === 'failed'
              ? 'failed'
              : 'stopped';
  const details: ServiceDetails = {
    ...base,
    state,
    rawState: raw,
    pid,
    uptimeSec,
    restarts,
    message: p.Result && p.Result !== 'success' ? `result ${p.Result}` : null,
  };
  const restartText = restarts === null ? '' : `, ${restarts} restart${restarts === 1 ? '' : 's'}`;
  if (state === 'not-found')
    return { status: 'fail', summary: `systemd unit ${service} not found`, details, evidence: [`systemctl show ${service}: LoadState=not-found`] };
  if (state === 'running') {
    const up = upFor(uptimeSec);
    return { status: 'ok', summary: `systemd ${service} ${raw}${up}${restartText}`, details, evidence: [] };
  }
  const status = state === 'starting' || state === 'stopping' ? 'warn' : 'fail';
  const summary = `systemd ${service} ${raw}${details.message ? `, ${details.message}` : ''}${restartText}`;
  return { status, summary, details, evidence: [summary] };
}

export function evaluateSupervisor(app: AppTarget, res: Pick<ExecResult, 'stdout' | 'code'>, user: string): CheckOutcome<ServiceDetails> {
  const s = parseSupervisorctlStatus(res.stdout, app.service);
  const base = { manager: 'supervisor' as const, service: app.service, restarts: null };
  if (!s) {
    const msg = firstLine(res.stdout) || `supervisorctl exited with ${res.code}`;
    // sudoers takes the arguments literally: the hint shows them unquoted, exactly as the rule needs.
    const hint = sudoHint(res.stdout, user, `supervisorctl ${app.supervisorConfig ? `-c ${app.supervisorConfig} ` : ''}status ${app.service}`);
    const notFound = /no such process/i.test(res.stdout);
    const details: ServiceDetails = { ...base, state: notFound ? 'not-found' : 'unknown', rawState: 'unknown', pid: null, uptimeSec: null, message: msg };
    const noDaemon = /\.sock (no such file|refused connection)/.test(res.stdout)
      ? ' — supervisord is not running (systemctl start supervisor), or app.supervisorConfig points elsewhere'
      : '';
    const summary = `supervisor ${app.service}: ${notFound ? msg : `cannot read the state: ${msg}`}${hint ? ` — ${hint}` : noDaemon}`;
    // A program supervisord does not know is a fact (service-down); anything else is unknown.
    return { status: notFound ? 'fail' : 'unknown', summary, details, evidence: [summary] };
  }
  const state: ServiceDetails['state'] =
    s.state === 'RUNNING'
      ? 'running'
      : s.state === 'STARTING'
        ? 'starting'
        : s.state === 'STOPPING'
          ? 'stopping'
          : s.state === 'FATAL' || s.state === 'BACKOFF'
            ? 'failed'
            : s.state === 'UNKNOWN'
              ? 'unknown'
              : 'stopped';
  const details: ServiceDetails = { ...base, state, rawState: s.state, pid: s.pid, uptimeSec: s.uptimeSec, message: s.description || null };
  if (state === 'running') {
    const up = upFor(s.uptimeSec);
    return { status: 'ok', summary: `supervisor ${app.service} RUNNING${up}`, details, evidence: [] };
  }
  const summary = `supervisor ${app.service} ${s.state}${s.description ? ` (${s.description})` : ''}`;
  const status = state === 'starting' || state === 'stopping' ? 'warn' : state === 'unknown' ? 'unknown' : 'fail';
  return { status, summary, details, evidence: [summary] };
}

/** Why systemctl gave no state, said as the fix. */
function systemdFix(res: Pick<ExecResult, 'stderr' | 'code'>): string {
  if (res.code === 127 || /systemctl: (command )?not found/.test(res.stderr))
    return ' — systemctl is not installed here; if supervisord runs the app, set app.manager: supervisor';
  if (/not been booted with systemd/.test(res.stderr))
    return ' — systemd is not running on this host; if supervisord runs the app, set app.manager: supervisor';
  return '';
}

/** Uptimes are whole seconds: a fresh start reads "just started", not "for 0 ms". */
function upFor(sec: number | null): string {
  if (sec === null) return '';
  return sec < 1 ? ' just started' : ` for ${formatDuration(sec * 1000)}`;
}

function firstLine(text: string): string {
  return redact((text.split('\n').find((l) => l.trim()) ?? '').trim()).slice(0, 200);
}
