export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly rssKb: number;
  readonly cpuPercent: number;
  readonly threads: number;
  readonly ageSec: number;
  readonly command: string;
}

export const PS_COMMAND = 'ps -eo pid=,ppid=,rss=,pcpu=,nlwp=,etimes=,args= --sort=-rss';

/**
 * `ps -eo pid=,ppid=,rss=,pcpu=,nlwp=,etimes=,args= --sort=-rss` (no header; args last because it
 * has spaces). Example input:
 *    4242       1 182340  3.1    6   93784 /usr/bin/python3 /opt/moneymind/app.py
 */
export function parsePs(text: string): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    out.push({
      pid: Number(m[1]),
      ppid: Number(m[2]),
      rssKb: Number(m[3]),
      cpuPercent: Number(m[4]),
      threads: Number(m[5]),
      ageSec: Number(m[6]),
      command: (m[7] as string).trim(),
    });
  }
  return out;
}

/**
 * The app's processes: a plain substring match on the command line (processMatch from config is
 * never a regex and never reaches the shell). Left out, even when their text matches:
 * - processes whose command carries `probeMark` — the bot's own probes — and their descendants
 *   (a concurrent `tail` of the app's log names the app too);
 * - with `selfPid` (the bot runs on this host: transport `local`), the bot's own process, its
 *   ancestors (`npx moneymind`, `npm start`) and its descendants: the default processMatch
 *   "moneymind" would otherwise count the bot as the app.
 */
export function appProcesses(all: readonly ProcessInfo[], match: string, probeMark: string, selfPid?: number): ProcessInfo[] {
  // Roots and everything below them; descendants only, so an ancestor's other children (the app
  // itself, under the same supervisord) stay in.
  const excluded = new Set(all.filter((p) => p.command.includes(probeMark) || p.pid === selfPid).map((p) => p.pid));
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (!excluded.has(p.pid) && excluded.has(p.ppid)) {
        excluded.add(p.pid);
        grew = true;
      }
    }
  }
  // The bot's ancestors, bounded by the table's size (a pid cycle cannot loop forever).
  const byPid = new Map(all.map((p) => [p.pid, p]));
  for (let p = selfPid === undefined ? undefined : byPid.get(selfPid), n = 0; p && n < all.length; n++) {
    excluded.add(p.ppid);
    p = byPid.get(p.ppid);
  }
  return all.filter((p) => p.command.includes(match) && !excluded.has(p.pid) && !p.command.includes(BOT_PACKAGE));
}

// The bot's own processes (`npm start` shows its package name) are never the app, even on a
// `local` host where the default processMatch "moneymind" would also match them.
const BOT_PACKAGE = 'moneymind-ops-bot';
