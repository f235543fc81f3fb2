/**
 * The unprivileged account the bot logs in as during integration tests.
 *
 * As root we use a dedicated system user (default `mmtest`), created on
 * demand. Without root we cannot create users, start sshd for anyone else or
 * drop privileges, so we fall back to the current user.
 */
import { userInfo } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { run, runOk } from './proc.js';

export interface TestUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

export const isRoot = (): boolean => process.getuid?.() === 0;

async function lookup(name: string): Promise<TestUser | undefined> {
  const res = await run('getent', ['passwd', name], { timeoutMs: 5000 });
  if (res.code !== 0) return undefined;
  const [, , uid, gid, , home] = res.stdout.trim().split(':');
  return { name, uid: Number(uid), gid: Number(gid), home: home ?? `/home/${name}` };
}

/**
 * useradd/usermod take a lock on /etc/passwd; parallel test files may collide
 * ("cannot lock /etc/passwd; try again later", exit 10), so retry (bounded).
 */
async function withPasswdLockRetry(cmd: string, args: string[], okCodes: number[]): Promise<void> {
  let last = '';
  for (let attempt = 0; attempt < 10; attempt++) {
    const res = await run(cmd, args, { timeoutMs: 15_000 });
    if (okCodes.includes(res.code)) return;
    last = `${cmd} ${args.join(' ')} exited ${res.code}: ${res.stderr.trim()}`;
    if (res.code !== 10) break;
    await sleep(200);
  }
  throw new Error(last);
}

export async function ensureTestUser(name = 'mmtest'): Promise<TestUser> {
  if (!isRoot()) {
    const me = userInfo();
    return { name: me.username, uid: me.uid, gid: me.gid, home: me.homedir };
  }
  if (!(await lookup(name))) {
    // Exit code 9 = "already exists": another test process won the race.
    await withPasswdLockRetry('useradd', ['--system', '--create-home', '--home-dir', `/home/${name}`, '--shell', '/bin/bash', name], [0, 9]);
  }
  const user = await lookup(name);
  if (!user) throw new Error(`user ${name} still missing after useradd`);
  await runOk('install', ['-d', '-o', String(user.uid), '-g', String(user.gid), '-m', '0755', user.home]);
  // OpenSSH without PAM treats a shadow password starting with "!" as a locked
  // account and refuses even public-key logins ("User mmtest not allowed
  // because account is locked"). useradd leaves "!", so switch to "*" (no
  // password can match, but the account is not locked).
  const shadow = await runOk('getent', ['shadow', name]);
  if ((shadow.stdout.split(':')[1] ?? '').startsWith('!')) {
    await withPasswdLockRetry('usermod', ['-p', '*', name], [0]);
  }
  return user;
}
