/**
 * A network namespace joined to the test's own by a veth pair, for a jump host: sshd run inside
 * it (`enter`) listens on `inside`, which the test process reaches through the pair; what that sshd
 * connects to on `outside` (a target sshd in the root namespace) comes from `inside`. A target
 * sshd listening on `outside` with `allowFrom: inside` then takes logins only through the jump host:
 * the test process's own connection to it comes from `outside` and is refused.
 *
 * Needs root and iproute2. Each namespace gets its own /30 (by pid and a counter), so test files
 * running at once do not collide; destroy() removes the pair and the namespace, and so does the
 * emergency cleanup if the process dies first.
 */
import { execFileSync } from 'node:child_process';
import { registerEmergencyCleanup } from './emergency.js';
import { runOk } from './proc.js';

export interface NetNs {
  name: string;
  /** The address inside the namespace (the jump host's). */
  inside: string;
  /** The root namespace's end of the pair (what the jump host sees of the test machine). */
  outside: string;
  /** Prefix that runs a command inside: `ip netns exec NAME`. */
  enter: readonly string[];
  destroy(): Promise<void>;
}

let counter = 0;

export async function createNetNs(): Promise<NetNs> {
  const n = counter++;
  const tag = `${process.pid % 100_000}x${n}`;
  const name = `mmj${tag}`;
  const vethOut = `mjo${tag}`.slice(0, 15);
  const vethIn = `mji${tag}`.slice(0, 15);
  // 10.213.X.Y/30 with X, Y from the pid and the counter: four addresses a namespace.
  const block = ((process.pid % 4096) * 4 + n) % 16_384;
  const base = `10.${213 + Math.floor(block / 4096)}.${Math.floor((block % 4096) / 16)}`;
  const start = (block % 16) * 16;
  const outside = `${base}.${start + 1}`;
  const inside = `${base}.${start + 2}`;
  const cleanupSync = (): void => {
    for (const args of [
      ['link', 'del', vethOut],
      ['netns', 'del', name],
    ]) {
      try {
        execFileSync('ip', args, { stdio: 'ignore' });
      } catch {
        // Already gone (or never made): nothing to undo.
      }
    }
  };
  const unregister = registerEmergencyCleanup(`netns ${name}`, cleanupSync);
  try {
    await runOk('ip', ['netns', 'add', name]);
    await runOk('ip', ['link', 'add', vethOut, 'type', 'veth', 'peer', 'name', vethIn]);
    await runOk('ip', ['link', 'set', vethIn, 'netns', name]);
    await runOk('ip', ['addr', 'add', `${outside}/30`, 'dev', vethOut]);
    await runOk('ip', ['link', 'set', vethOut, 'up']);
    const enter = ['ip', 'netns', 'exec', name] as const;
    await runOk(enter[0], [...enter.slice(1), 'ip', 'addr', 'add', `${inside}/30`, 'dev', vethIn]);
    await runOk(enter[0], [...enter.slice(1), 'ip', 'link', 'set', vethIn, 'up']);
    await runOk(enter[0], [...enter.slice(1), 'ip', 'link', 'set', 'lo', 'up']);
    return {
      name,
      inside,
      outside,
      enter,
      destroy: async () => {
        cleanupSync();
        unregister();
      },
    };
  } catch (err) {
    cleanupSync();
    unregister();
    throw err;
  }
}
