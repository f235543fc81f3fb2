/**
 * Temporary sudoers drop-in so the SSH test user can run exactly the
 * supervisorctl commands the bot needs, without a password (`sudo -n`).
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOk } from './proc.js';

const SUDOERS_D = '/etc/sudoers.d';
export const SUPERVISORCTL = '/usr/bin/supervisorctl';

/** sudoers needs these characters escaped inside command arguments. */
function sudoersArg(arg: string): string {
  if (!/^[A-Za-z0-9_./-]+$/.test(arg)) throw new Error(`refusing to put ${JSON.stringify(arg)} in a sudoers rule`);
  return arg;
}

function checkIncludeDir(): void {
  // Without "@includedir /etc/sudoers.d" (or the old "#includedir" spelling)
  // the drop-in would silently be ignored and `sudo -n` would fail.
  const main = readFileSync('/etc/sudoers', 'utf8');
  if (!/^\s*[@#]includedir\s+\/etc\/sudoers\.d\/?\s*$/m.test(main)) {
    throw new Error('/etc/sudoers does not include /etc/sudoers.d; add "@includedir /etc/sudoers.d"');
  }
}

/**
 * Install the drop-in; returns its path. `scratchDir` holds the draft that is
 * validated with `visudo -cf` before it goes anywhere near /etc/sudoers.d
 * (a broken file there would break sudo for the whole machine).
 */
export async function installSupervisorSudoers(user: string, conf: string, program: string, scratchDir: string): Promise<string> {
  const cmd = `${SUPERVISORCTL} -c ${sudoersArg(conf)}`;
  // sudo resolves "supervisorctl" through secure_path before matching, so
  // the rule must name the absolute path; arguments must match exactly.
  return installSudoers(
    user,
    ['status', 'restart', 'start', 'stop'].map((verb) => `${cmd} ${verb} ${sudoersArg(program)}`),
    scratchDir,
  );
}

const PREFIX = 'moneymind-test-';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Drop-ins of test processes that are gone. A test process removes its own on exit and on SIGTERM,
 * but not when its whole process group is SIGKILLed (a CI runner stopped part-way): the NOPASSWD
 * rule would outlive it. A reused pid keeps its file until a later sweep; no harm in that.
 */
export function sweepOrphans(): void {
  for (const file of readdirSync(SUDOERS_D)) {
    const pid = new RegExp(`^${PREFIX}(\\d+)-[0-9a-f]+$`).exec(file)?.[1];
    if (pid && !alive(Number(pid))) rmSync(join(SUDOERS_D, file), { force: true });
  }
}

/** `user ALL=(root) NOPASSWD: <commands>`, each an absolute path with exact arguments. */
export async function installSudoers(user: string, commands: readonly string[], scratchDir: string): Promise<string> {
  checkIncludeDir();
  sweepOrphans();
  // No "." in the name: sudo skips include-dir files containing a dot. The pid says whose it is.
  const name = `${PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`;
  const body = [
    `# Temporary rule written by test/support/sudoers.ts; removed when the test stops.`,
    // Debian has no requiretty, but some images do; ssh exec has no tty.
    `Defaults:${sudoersArg(user)} !requiretty`,
    `${user} ALL=(root) NOPASSWD: ${commands.join(', ')}`,
    '',
  ].join('\n');
  const draft = join(scratchDir, name);
  writeFileSync(draft, body, { mode: 0o440 });
  await runOk('visudo', ['-c', '-q', '-f', draft]);
  // Write under a dotted (=ignored) name, then rename: sudo never sees a half-written file.
  const staging = join(SUDOERS_D, `.${name}.tmp`);
  const final = join(SUDOERS_D, name);
  writeFileSync(staging, body, { mode: 0o440 });
  renameSync(staging, final);
  return final;
}

export function removeSudoers(path: string): void {
  rmSync(path, { force: true });
}
