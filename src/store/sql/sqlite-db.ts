import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { privateStoreFiles } from '../private-file.js';
import type { RunResult, SqlDb, SqlParam } from './sql-db.js';

export interface SqliteOptions {
  /** Told when the store's files were readable by other users (and were made 0600, or could not be). */
  readonly warn?: (msg: string, detail: Record<string, unknown>) => void;
}

/**
 * One turn at a time on a file: better-sqlite3 is synchronous, but a transaction of the async store
 * awaits between its statements, and another caller's statement must not land inside it. Shared
 * by every connection this process has to the same file: a second connection's BEGIN IMMEDIATE
 * would otherwise wait in SQLite's busy handler, which sleeps on the event loop the first one needs
 * to finish (a deadlock until busy_timeout). Other processes wait in that busy handler, as before.
 */
class Turns {
  private tail: Promise<unknown> = Promise.resolve();
  users = 0;

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
const turnsByFile = new Map<string, Turns>();

/** The SQLite driver: WAL, synchronous=FULL, the files 0600 (private-file.ts). */
export class SqliteDb implements SqlDb {
  readonly dialect = 'sqlite';
  readonly nowMs = "CAST(unixepoch('subsec') * 1000 AS INTEGER)";
  /** The connection itself, for the synchronous migrations at open (sqlite-migrations.ts). */
  readonly raw: Database.Database;
  private readonly turns: Turns;
  private readonly key: string;
  private readonly statements = new Map<string, Database.Statement>();
  /** The same connection inside a transaction: its statements already hold the turn. */
  private readonly inTx: SqlDb;

  constructor(path: string, opts: SqliteOptions = {}) {
    for (const t of privateStoreFiles(path)) {
      if (t.error)
        opts.warn?.(
          `the store file ${t.file} is readable by other users (mode ${t.was}) ` +
            `and could not be made 0600 (${t.error}) — run chmod 600 ${t.file} as its owner`,
          { file: t.file, mode: t.was },
        );
      else opts.warn?.(`the store file ${t.file} was readable by other users (mode ${t.was}); made it 0600`, { file: t.file, mode: t.was });
    }
    this.raw = new Database(path);
    this.raw.pragma('journal_mode = WAL');
    this.raw.pragma('synchronous = FULL');
    this.raw.pragma('busy_timeout = 5000');
    this.key = path === ':memory:' ? `:memory:${Math.random()}` : resolve(path);
    this.turns = turnsByFile.get(this.key) ?? new Turns();
    this.turns.users++;
    turnsByFile.set(this.key, this.turns);
    const direct = { all: this.allNow.bind(this), get: this.getNow.bind(this), run: this.runNow.bind(this) };
    this.inTx = {
      dialect: this.dialect,
      nowMs: this.nowMs,
      all: async (sql, params) => direct.all(sql, params),
      get: async (sql, params) => direct.get(sql, params),
      run: async (sql, params) => direct.run(sql, params),
      // Nested: part of the transaction already open.
      transaction: (fn) => fn(this.inTx),
      close: () => this.close(),
    };
  }

  all<T>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return this.turns.run(async () => this.allNow<T>(sql, params));
  }

  get<T>(sql: string, params: readonly SqlParam[] = []): Promise<T | undefined> {
    return this.turns.run(async () => this.getNow<T>(sql, params));
  }

  run(sql: string, params: readonly SqlParam[] = []): Promise<RunResult> {
    return this.turns.run(async () => this.runNow(sql, params));
  }

  /** BEGIN IMMEDIATE: the write lock from the start, so two writers never deadlock upgrading a read. */
  transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    return this.turns.run(async () => {
      this.raw.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.inTx);
        this.raw.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.raw.inTransaction) this.raw.exec('ROLLBACK');
        throw err;
      }
    });
  }

  async close(): Promise<void> {
    await this.turns.run(async () => this.closeNow());
  }

  /** Closes at once: a store whose open failed (nothing of it can be waiting). */
  closeNow(): void {
    if (!this.raw.open) return;
    this.raw.close();
    if (--this.turns.users === 0) turnsByFile.delete(this.key);
  }

  private allNow<T>(sql: string, params: readonly SqlParam[] = []): T[] {
    return this.statement(sql).all(...params) as T[];
  }

  private getNow<T>(sql: string, params: readonly SqlParam[] = []): T | undefined {
    return this.statement(sql).get(...params) as T | undefined;
  }

  private runNow(sql: string, params: readonly SqlParam[] = []): RunResult {
    const r = this.statement(sql).run(...params);
    return { changes: r.changes, lastId: Number(r.lastInsertRowid) };
  }

  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.raw.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }
}
