import { OpsError } from '../errors.js';

/*
 * How an error is worded along a jump-host route (ssh.jumpHost): the bastion's own failures name
 * its hop and carry `jumpHost` (the diagnosis says bastion-unreachable); a target reached through
 * it says so at the end of its message, as a direct connection's error would otherwise read.
 */

export interface HopContext {
  /** "jump host bastion (jump@bastion.example.net:22)" */
  readonly description: string;
  readonly jumpHost: string | undefined;
  /** The name its fix points at: the jumpHosts entry, else the SSH host. */
  readonly name: string;
  readonly maxChannels: number;
}

/**
 * A forwarding channel the bastion could not give (all its channels held) or whose far end did
 * not answer (the target is down: the target's failure, not the bastion's). Undefined for any
 * other error, which is the bastion's own.
 */
export function tunnelError(err: OpsError, host: string, port: number, timeoutMs: number, hop: HopContext): OpsError | undefined {
  if (err.code === 'EXEC_TIMEOUT') {
    return new OpsError(
      'SSH_CHANNEL',
      `${hop.description}: all ${hop.maxChannels} channels are held by hosts connected through it; ${host}:${port} waited ${timeoutMs} ms`,
      {
        fix: `raise jumpHosts[].maxChannels for ${hop.name} (one per host behind it)`,
        cause: err,
      },
    );
  }
  if (err.code === 'CONNECT_REFUSED') {
    return new OpsError(
      'SSH_CONNECT',
      `cannot connect to ${host}:${port} through ${hop.description}: ${(err.cause as Error | undefined)?.message ?? err.message}`,
      {
        fix: `check the host is up and sshd listens on ${host}:${port} as the jump host sees it`,
        cause: err,
      },
    );
  }
  return undefined;
}

/** The error as the jump host's own: its message names the hop and it carries `jumpHost`. */
export function asHopError(err: OpsError, description: string, jumpHost: string | undefined): OpsError {
  if (jumpHost === undefined || err.jumpHost !== undefined) return err;
  return new OpsError(err.code, `${description}: ${err.message}`, { ...(err.fix === undefined ? {} : { fix: err.fix }), cause: err.cause ?? err, jumpHost });
}

/** The same error with `suffix` on its message (which hop a target's error was reached through). */
export function withSuffix(err: OpsError, suffix: string): OpsError {
  if (!suffix) return err;
  return new OpsError(err.code, `${err.message}${suffix}`, { ...(err.fix === undefined ? {} : { fix: err.fix }), cause: err.cause ?? err });
}
