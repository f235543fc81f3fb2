import type { Check, CheckOutcome } from './check.js';
import { parseProcNetTcp, parseSsListen, type Listener } from './parse-listeners.js';
import { splitSections } from './sections.js';

export interface PortDetails {
  readonly port: number;
  readonly listening: boolean;
  readonly listeners: readonly Listener[];
  readonly source: 'ss' | 'proc';
}

// ss is in iproute2 on every current distribution; /proc/net/tcp covers minimal images without it.
export const PORT_COMMAND =
  'if command -v ss >/dev/null 2>&1; then echo @@ss; ss -tlnp 2>/dev/null; else echo @@proc; cat /proc/net/tcp /proc/net/tcp6 2>/dev/null; fi';

export const portCheck: Check<'port', PortDetails> = {
  id: 'port',
  applies: () => true,
  async run({ host, thresholds, transport }) {
    const res = await transport.exec(PORT_COMMAND, { timeoutMs: thresholds.commandTimeout, maxBytes: thresholds.maxOutputBytes });
    return evaluatePort(host.app.port, res.stdout);
  },
};

/** Pure: the listening sockets → is the app port among them (runbook cause 5: port, firewall). */
export function evaluatePort(port: number, output: string): CheckOutcome<PortDetails> {
  const sections = splitSections(output);
  const source = sections.has('proc') ? 'proc' : 'ss';
  const text = source === 'proc' ? (sections.get('proc') ?? '') : (sections.get('ss') ?? output);
  const all = source === 'proc' ? parseProcNetTcp(text) : parseSsListen(text);
  const listeners = all.filter((l) => l.port === port);
  const details: PortDetails = { port, listening: listeners.length > 0, listeners, source };
  // ss and /proc/net/tcp always print a header line: nothing at all means they could not run,
  // which says nothing about the port.
  if (!text.trim())
    return {
      status: 'unknown',
      summary: `:${port} cannot list listening sockets (${source === 'ss' ? 'ss -tln' : '/proc/net/tcp'} printed nothing)`,
      details,
      evidence: [],
    };
  if (!details.listening) return { status: 'fail', summary: `:${port} not listening`, details, evidence: [`nothing listens on port ${port} (ss -tln)`] };
  const who = listeners.find((l) => l.process)?.process;
  return { status: 'ok', summary: `:${port} listening${who ? ` (${who.name}, pid ${who.pid})` : ''}`, details, evidence: [] };
}
