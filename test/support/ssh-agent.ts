/**
 * A real OpenSSH agent for integration tests: `ssh-agent -D -a SOCKET` in the foreground (so its pid
 * is the one we spawned, and stop() ends exactly that process), keys added with `ssh-add`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { registerEmergencyCleanup } from './emergency.js';
import { isAlive, killTreeSync, runOk, spawnDaemon, tail, terminateTree, waitUntil } from './proc.js';

export interface SshAgentHandle {
  /** What SSH_AUTH_SOCK would hold. */
  socket: string;
  /** ssh-add an unencrypted private key file. */
  add(keyPath: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startSshAgent(dir: string, name: string): Promise<SshAgentHandle> {
  const socket = join(dir, `${name}.sock`);
  const log = join(dir, `${name}.log`);
  const daemon = await spawnDaemon('ssh-agent', ['-D', '-a', socket], log);
  const unregister = registerEmergencyCleanup(`ssh-agent ${socket}`, () => killTreeSync(daemon.pid));
  const stop = async (): Promise<void> => {
    if (!daemon.exited && isAlive(daemon.pid)) await terminateTree(daemon.pid, { label: 'ssh-agent', graceMs: 2000 });
    unregister();
  };
  try {
    await waitUntil(`ssh-agent socket ${socket}`, async () => (existsSync(socket) ? true : undefined), {
      timeoutMs: 5000,
      intervalMs: 20,
      describeFailure: () => tail(log),
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    socket,
    add: async (keyPath) => {
      await runOk('ssh-add', ['-q', keyPath], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
    },
    stop,
  };
}
