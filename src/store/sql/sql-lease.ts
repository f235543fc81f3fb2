import { FencedOut, type Fence, type Lease, type LeaseStore } from '../lease.js';
import { forUpdate, insertIgnore, type SqlDb } from './sql-db.js';

interface LeaseRow {
  holder: string;
  token: number;
  expires_at: number;
  now: number;
}

/**
 * The watch lease: one row, every change a conditional write in a transaction, time from the
 * store's clock (`nowMs`). No GET_LOCK or any lock held between calls: Galera does not replicate
 * GET_LOCK, and a lease must outlive the connection (and the node) it was taken through.
 */
export class SqlLease implements LeaseStore {
  constructor(private readonly db: SqlDb) {}

  async acquire(holder: string, ttlMs: number): Promise<Lease | undefined> {
    return this.db.transaction(async (tx) => {
      const row = await read(tx, true);
      if (!row) {
        // The first replica ever: of two inserting at once one is ignored and reads the other's.
        const put = await tx.run(`${insertIgnore(tx)} INTO lease (name, holder, token, expires_at) VALUES ('watch', ?, 1, ${tx.nowMs} + ?)`, [holder, ttlMs]);
        return put.changes === 1 ? lease(await read(tx, false)) : undefined;
      }
      if (row.holder === holder && row.expires_at > row.now) return renewIn(tx, { holder, token: row.token }, ttlMs);
      if (row.expires_at > row.now) return undefined;
      // Free (expired, or released): taken over with the next token, so the last holder's writes are refused.
      const took = await tx.run(`UPDATE lease SET holder = ?, token = token + 1, expires_at = ${tx.nowMs} + ? WHERE name = 'watch' AND token = ?`, [
        holder,
        ttlMs,
        row.token,
      ]);
      return took.changes === 1 ? lease(await read(tx, false)) : undefined;
    });
  }

  async renew(f: Fence, ttlMs: number): Promise<Lease | undefined> {
    return this.db.transaction((tx) => renewIn(tx, f, ttlMs));
  }

  async current(): Promise<Lease | undefined> {
    return lease(await read(this.db, false));
  }

  async release(f: Fence): Promise<void> {
    await this.db.run(`UPDATE lease SET expires_at = ${this.db.nowMs} WHERE name = 'watch' AND holder = ? AND token = ? AND expires_at > ${this.db.nowMs}`, [
      f.holder,
      f.token,
    ]);
  }

  async check(f: Fence): Promise<void> {
    await this.db.transaction((tx) => fenceIn(tx, f));
  }
}

/**
 * The fence of a leader's write, as the first statement of the write's own transaction: it holds
 * only if `f` is the current, unexpired lease, else FencedOut (the caller's transaction rolls back).
 *
 * It writes the lease row (fenced_at), not only reads it. On one server the UPDATE locks the row
 * until commit, so a takeover waits for the write and then gets the next token. On Galera, locks
 * are local to a node and a SELECT … FOR UPDATE on one node does not stop a takeover on another;
 * but two transactions that write the same row conflict at certification, and one of them aborts
 * (a deadlock error: the write is retried, finds the new token and is refused, or the takeover
 * is retried after the write). Either way no write lands under a token that has been replaced.
 */
export async function fenceIn(tx: SqlDb, f: Fence): Promise<void> {
  const held = await tx.run(`UPDATE lease SET fenced_at = ${tx.nowMs} WHERE name = 'watch' AND holder = ? AND token = ? AND expires_at > ${tx.nowMs}`, [
    f.holder,
    f.token,
  ]);
  if (held.changes !== 1) throw new FencedOut({ holder: f.holder, token: f.token });
}

async function renewIn(tx: SqlDb, f: Fence, ttlMs: number): Promise<Lease | undefined> {
  const kept = await tx.run(`UPDATE lease SET expires_at = ${tx.nowMs} + ? WHERE name = 'watch' AND holder = ? AND token = ? AND expires_at > ${tx.nowMs}`, [
    ttlMs,
    f.holder,
    f.token,
  ]);
  return kept.changes === 1 ? lease(await read(tx, false)) : undefined;
}

function read(db: SqlDb, lock: boolean): Promise<LeaseRow | undefined> {
  return db.get<LeaseRow>(`SELECT holder, token, expires_at, ${db.nowMs} AS now FROM lease WHERE name = 'watch'${lock ? forUpdate(db) : ''}`);
}

function lease(row: LeaseRow | undefined): Lease | undefined {
  return row && { holder: row.holder, token: Number(row.token), expiresAt: Number(row.expires_at) };
}
