/**
 * The one error type of the bot. `code` is stable (tests and logs key on it); `message` says what
 * went wrong in one line a user can read; `fix` says what to do about it. Details that only an
 * operator reading logs needs go in `cause`, never into a user-facing message.
 */
export type ErrorCode =
  | 'CONFIG'
  | 'USAGE'
  | 'UNKNOWN_HOST'
  | 'SSH_CONNECT'
  | 'SSH_HOSTKEY_MISMATCH'
  | 'SSH_AUTH'
  | 'SSH_CHANNEL'
  | 'CONNECT_REFUSED'
  | 'EXEC_TIMEOUT'
  | 'EXEC_FAILED'
  | 'HTTP_TIMEOUT'
  | 'HTTP_ERROR'
  | 'DB_CONNECT'
  | 'DB_AUTH'
  | 'DB_QUERY'
  | 'PARSE'
  | 'INTERNAL';

export class OpsError extends Error {
  readonly code: ErrorCode;
  readonly fix: string | undefined;
  /**
   * Set when the hop that failed is a jump host (its `jumpHosts` name), not the host itself: the
   * bastion is down, refused the bot or offered another host key. The code is what it would be for
   * a host (SSH_CONNECT, SSH_AUTH, SSH_HOSTKEY_MISMATCH); this says which hop.
   */
  readonly jumpHost: string | undefined;

  constructor(code: ErrorCode, message: string, opts: { fix?: string; cause?: unknown; jumpHost?: string } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'OpsError';
    this.code = code;
    this.fix = opts.fix;
    this.jumpHost = opts.jumpHost;
  }

  /** One line for a person: the message, then the fix when there is one. */
  toUserText(): string {
    return withFix(this.message, this.fix);
  }
}

/** "what went wrong — what to do about it": how every error the bot explains reads, in any adapter. */
export function withFix(message: string, fix: string | undefined): string {
  return fix ? `${message} — ${fix}` : message;
}

/** Turns anything thrown into an OpsError, keeping the original as `cause` for the logs. */
export function asOpsError(err: unknown, code: ErrorCode = 'INTERNAL'): OpsError {
  if (err instanceof OpsError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new OpsError(code, message, { cause: err });
}
