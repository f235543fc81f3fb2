import type { MysqlTarget } from '../config/types.js';

/*
 * How the core reaches a host. The checks only see this interface; ssh-transport and
 * local-transport implement it, so the same checks run over SSH or on the bot's own machine,
 * and tests can pass the real thing on loopback.
 */

export interface ExecOptions {
  /** Hard limit: the channel (or child) is killed and the call rejects with EXEC_TIMEOUT. */
  readonly timeoutMs: number;
  /** stdout + stderr beyond this are dropped, the command is stopped and `truncated` is set. */
  readonly maxBytes: number;
}

export interface ExecResult {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly truncated: boolean;
  readonly durationMs: number;
}

export interface HttpOptions {
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
  readonly durationMs: number;
}

export interface SqlSession {
  query<T extends Record<string, unknown> = Record<string, unknown>>(sql: string): Promise<T[]>;
}

export interface HostTransport {
  /** For messages: "ssh ops@10.0.0.5:22" or "local". */
  readonly description: string;
  /**
   * The bot's own pid when its commands run on the host itself (transport `local`), so the bot
   * and its parents are never taken for the app in `ps`. Undefined over SSH.
   */
  readonly selfPid?: number;
  /** Runs a fixed command template through `sh -c` on the host. */
  exec(command: string, opts: ExecOptions): Promise<ExecResult>;
  /** GET a URL as seen from the host (through the SSH connection for ssh hosts). */
  httpGet(url: string, opts: HttpOptions): Promise<HttpResponse>;
  /** Opens one MySQL session as seen from the host, runs fn, always closes it. */
  withMysql<T>(target: MysqlTarget, queryTimeoutMs: number, fn: (db: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
