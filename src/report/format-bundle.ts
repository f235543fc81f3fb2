import { splitSections } from '../checks/sections.js';
import type { DbSnapshot } from './bundle-db.js';
import { BUNDLE_LOG_LINES } from './bundle-probe.js';
import { redact } from '../boundary/redact.js';

/** What was gathered; each part may have failed on its own, and then says why. */
export interface BundleParts {
  readonly host: string;
  readonly transport: string;
  readonly madeAt: number;
  readonly diagnosis: string;
  /** The probe's raw output (sections), or the error that stopped it. */
  readonly probe: { readonly output: string; readonly truncated: boolean } | { readonly error: string };
  readonly db: DbSnapshot | { readonly error: string } | undefined;
  readonly logFile: string;
}

export interface SupportBundle {
  readonly host: string;
  readonly filename: string;
  readonly title: string;
  readonly text: string;
  /** One line for the message that carries the file. */
  readonly summary: string;
}

const TITLES: readonly (readonly [string, string])[] = [
  ['os', 'OS'],
  ['kernel', 'Kernel'],
  ['uptime', 'Uptime'],
  ['python', 'Python'],
  ['service', 'Service state'],
  ['service-config', 'Service configuration'],
  ['memory', 'Memory (free -m)'],
  ['load', 'Load average and cores'],
  ['disk', 'Disk'],
  ['processes', 'Processes by memory'],
  ['listeners', 'Listening sockets'],
];

/** Pure: the parts → one plain-text file, credentials masked throughout. */
export function formatBundle(p: BundleParts): SupportBundle {
  const stamp = new Date(p.madeAt).toISOString();
  const out: string[] = [`MoneyMind support bundle — ${p.host} (${p.transport})`, `made ${stamp} by the MoneyMind ops bot; credentials are masked`, ''];
  const part = (title: string, body: string): void => {
    out.push(`== ${title} ==`, body.replace(/\s+$/, '') || '(empty)', '');
  };
  part('Diagnosis', p.diagnosis);
  let logLines = 0;
  if ('error' in p.probe) {
    part('Host', `could not collect: ${p.probe.error}`);
  } else {
    const s = splitSections(p.probe.output);
    for (const [name, title] of TITLES) part(title, s.get(name) ?? '(not collected)');
    const log = s.get('log');
    const title = `Log: last ${BUNDLE_LOG_LINES} lines of ${p.logFile}`;
    if (s.has('log-failed')) {
      // What tail said is why the log could not be read, not a line of it.
      part(title, `could not read the log: ${log?.trim().split('\n').pop() || 'tail failed'}`);
    } else {
      logLines = log?.trim() ? log.replace(/\n+$/, '').split('\n').length : 0;
      part(title, log === undefined ? '(not collected)' : log.trim() ? log : '(the log is empty)');
    }
    if (p.probe.truncated) out.push('(output was cut at the configured maxOutputBytes)', '');
  }
  part('Database', dbText(p.db));
  const text = redact(out.join('\n'));
  const logUnread = !('error' in p.probe) && splitSections(p.probe.output).has('log-failed');
  const safeStamp = stamp.replace(/[:.]/g, '-');
  return {
    host: p.host,
    filename: `moneymind-${p.host}-${safeStamp}.txt`,
    title: `Support bundle: ${p.host}`,
    text,
    summary:
      `support bundle for ${p.host}: ${Math.ceil(Buffer.byteLength(text) / 1024)} KB, ` +
      `${logUnread ? 'log not readable' : `${logLines} log lines`}` +
      `${'error' in p.probe ? ', host part failed' : ''}${p.db && 'error' in p.db ? ', DB part failed' : ''}`,
  };
}

function dbText(db: BundleParts['db']): string {
  if (db === undefined) return 'no mysql section in the host config';
  if ('error' in db) return `could not read: ${db.error}`;
  const rows = (m: ReadonlyMap<string, string>): string[] => [...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k.padEnd(36)} ${v}`);
  return ['variables:', ...rows(db.variables), '', 'status:', ...rows(db.status)].join('\n');
}
