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
 * never a regex and never reaches the shell). Processes whose command carries `probeMark` — the
 * bot's own probes — and all their descendants are left out: a concurrent `tail` of the app's log
 * names the app too.
 */
export function appProcesses(all: readonly ProcessInfo[], match: string, probeMark: string): ProcessInfo[] {
  const ours = new Set(all.filter((p) => p.command.includes(probeMark)).map((p) => p.pid));
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (!ours.has(p.pid) && ours.has(p.ppid)) {
        ours.add(p.pid);
        grew = true;
      }
    }
  }
  return all.filter((p) => p.command.includes(match) && !ours.has(p.pid) && !p.command.includes(BOT_PACKAGE));
}

// The bot's own processes (`npm start` shows its package name) are never the app, even on a
// `local` host where the default processMatch "moneymind" would also match them.
const BOT_PACKAGE = 'moneymind-ops-bot';
