import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { it } from 'node:test';
import { FencedOut } from '../../src/store/lease.js';
import { cycle, KEY, MIN, type opener, opening, parent, type StoreRig } from './store-contract.js';

const TTL = 400;
const rejectsFenced = (p: Promise<unknown>) => assert.rejects(p, (err: unknown) => err instanceof FencedOut);

/** The lease, fencing, the restart ledger across replicas and migrations: part of storeContract. */
export function leaseContract(stores: ReturnType<typeof opener>, rig: StoreRig): void {
  it('the lease: taken, refused to another while valid, renewed with its token, taken over after expiry with the next token', async () => {
    const f = await stores.fresh();
    const a = f.store.lease;
    const b = (await f.another()).lease;
    assert.equal(await a.current(), undefined);
    const first = await a.acquire('a', TTL);
    assert.equal(first?.holder, 'a');
    assert.equal(await b.acquire('b', TTL), undefined, 'a holds it');
    const again = await a.acquire('a', TTL);
    assert.equal(again?.token, first!.token, 'acquire by the holder renews');
    const renewed = await a.renew(first!, TTL);
    assert.equal(renewed?.token, first!.token);
    assert.ok(renewed!.expiresAt >= first!.expiresAt);
    await sleep(TTL + 150);
    const taken = await b.acquire('b', TTL);
    assert.deepEqual([taken?.holder, taken?.token], ['b', first!.token + 1]);
    assert.equal(await a.renew(first!, TTL), undefined, 'lost: renewing fails');
    assert.equal(await a.acquire('a', TTL), undefined);
    assert.deepEqual(await b.current(), taken);
    await b.release(taken!);
    await rig.settle?.();
    const back = await a.acquire('a', TTL);
    assert.deepEqual([back?.holder, back?.token], ['a', first!.token + 2], 'released: taken at once, next token');
    await b.release(taken!); // a stale release changes nothing
    assert.equal((await a.current())?.holder, 'a');
    await a.check(back!);
    await rejectsFenced(a.check(taken!));
  });

  it('two replicas racing for a free lease: one gets it', async () => {
    const f = await stores.fresh();
    const other = await f.another();
    const got = await Promise.all([f.store.lease.acquire('a', 5000), other.lease.acquire('b', 5000)]);
    assert.equal(got.filter(Boolean).length, 1, JSON.stringify(got));
  });

  it('fencing: a stale fence changes nothing (commit, posted, postFailed, deliveries); the current one applies', async () => {
    const f = await stores.fresh();
    const { store } = f;
    const old = (await store.lease.acquire('a', TTL))!;
    await store.commitCycle(cycle(MIN, { opened: [opening(KEY, MIN)], posts: [parent(KEY, 'p')] }), old);
    const pages = [
      {
        key: KEY,
        target: 'pd',
        event: 'trigger' as const,
        notice: { at: 1, severity: 'critical' as const, subject: 'prod-1', cause: 'service-down' as const, hosts: ['prod-1'], title: 'down', evidence: [] },
      },
    ];
    await store.enqueue(KEY, [], MIN, pages);
    await sleep(TTL + 150);
    await rejectsFenced(store.commitCycle(cycle(2 * MIN, { closed: [{ key: KEY }] }), old));
    assert.ok(await store.openIncident(KEY), 'an expired lease fences too, before anyone took over');
    const now = (await (await f.another()).lease.acquire('b', 5000))!;
    await rig.settle?.();
    const [row] = await store.duePosts(2 * MIN, 1);
    await rejectsFenced(store.posted(row!, { channel: 'C1', ts: '1.1' }, old));
    await rejectsFenced(store.postFailed(row!, 9 * MIN, 'x', old));
    const [d] = await store.deliveries.due('pd', 2 * MIN, 1);
    await rejectsFenced(store.deliveries.delivered(d!, old));
    await rejectsFenced(store.deliveries.retryLater(d!, 9 * MIN, 'x', old));
    await rejectsFenced(store.deliveries.refused(d!, 9 * MIN, 'x', old));
    await rejectsFenced(store.commitCycle(cycle(2 * MIN, { closed: [{ key: KEY }], trackers: [] }), old));
    assert.deepEqual(
      [
        await store.pendingPosts(),
        await store.deliveries.pending(),
        (await store.openIncident(KEY))?.thread_ts,
        (await store.duePosts(2 * MIN, 1))[0]?.attempts,
      ],
      [1, 1, null, 0],
      'nothing changed',
    );
    await store.posted(row!, { channel: 'C1', ts: '1.1' }, now);
    await store.deliveries.delivered(d!, now);
    await store.commitCycle(cycle(3 * MIN, { closed: [{ key: KEY }] }), now);
    assert.deepEqual([await store.pendingPosts(), await store.deliveries.pending(), await store.openIncident(KEY)], [0, 0, undefined]);
  });

  it('restarts: of two approvals at once (two replicas) one runs; one per host; the hourly limit; expiry; abandon', async () => {
    const f = await stores.fresh();
    const { store } = f;
    const other = await f.another();
    const ask = (id: string, host: string, at: number, s = store) =>
      s.restarts.create({ id, host, command: 'systemctl restart moneymind', requestedBy: 'U0BOB0001', now: at, expiresAt: at + 5 * MIN });
    await ask('r1', 'prod-1', 0);
    await rig.settle?.();
    const same = await Promise.all([store.restarts.begin('r1', 'U0A', MIN, 3), other.restarts.begin('r1', 'U0B', MIN, 3)]);
    assert.deepEqual(same.map((r) => r.ok).sort(), [false, true]);
    await ask('r2', 'prod-2', 0);
    await ask('r3', 'prod-2', 0, other);
    await rig.settle?.();
    const host = await Promise.all([store.restarts.begin('r2', 'U0A', MIN, 3), other.restarts.begin('r3', 'U0B', MIN, 3)]);
    assert.deepEqual(host.map((r) => (r.ok ? 'ok' : r.why)).sort(), ['busy', 'ok'], 'one restart per host at a time');
    const running = host.find((r) => r.ok)!.row!.id;
    await store.restarts.finish(running, 2 * MIN, 0, 'verified');
    await rig.settle?.();
    assert.equal((await store.restarts.get(running))?.state, 'done');
    const waiting = running === 'r2' ? 'r3' : 'r2';
    const limited = await other.restarts.begin(waiting, 'U0B', 3 * MIN, 1);
    assert.ok(!limited.ok && limited.why === 'limit' && limited.retryAt === MIN + 60 * MIN, `over the limit of 1 per hour: ${JSON.stringify(limited)}`);
    assert.equal(await store.restarts.limitedUntil('prod-2', 3 * MIN, 1), 61 * MIN);
    assert.equal((await other.restarts.begin(waiting, 'U0B', 3 * MIN, 2)).ok, true);
    await rig.settle?.();
    assert.deepEqual((await store.restarts.abandonRunning(4 * MIN)).map((r) => r.id).sort(), ['r1', waiting].sort());
    await ask('r4', 'prod-2', 4 * MIN);
    assert.equal((await store.restarts.begin('r4', 'U0A', 5 * MIN, 5)).ok, true, 'abandoning freed the host');
    await ask('r5', 'prod-3', 0);
    assert.deepEqual(
      (await store.restarts.expireDue(6 * MIN)).map((r) => r.id),
      ['r5'],
    );
    assert.deepEqual(await store.restarts.begin('r5', 'U0A', 6 * MIN, 5), { ok: false, why: 'not-pending', row: await store.restarts.get('r5') });
    assert.equal(await store.restarts.cancel('r5', 'U0A'), false);
    await store.restarts.audit({ at: 1, requestId: 'r1', host: 'prod-1', actor: 'U0A', event: 'confirmed', detail: { n: 1 } });
    await rig.settle?.();
    assert.deepEqual(
      (await other.restarts.auditFor('prod-1', 5)).map((e) => [e.event, e.requestId, e.detail]),
      [['confirmed', 'r1', { n: 1 }]],
    );
    assert.deepEqual((await store.restarts.recent('prod-2', 5)).map((r) => r.id).sort(), ['r2', 'r3', 'r4']);
  });

  it('migrations: reopening changes nothing; a newer schema is refused; two replicas opening a new store at once both succeed', async () => {
    const f = await stores.fresh();
    await f.store.setSilence({ host: 'prod-1', until: 10, reason: 'r', by: 'U0A', createdAt: 1 });
    await rig.settle?.();
    assert.equal((await (await f.another()).activeSilences(0)).length, 1);
    await rig.setSchemaVersion(f, 99);
    await assert.rejects(f.another(), /schema version 99 is newer than this bot's/);
    const [a, b] = await rig.openTwiceAtOnce();
    stores.track(a);
    stores.track(b);
    await a.setSilence({ host: 'prod-1', until: 10, reason: 'r', by: 'U0A', createdAt: 1 });
    await rig.settle?.();
    assert.equal((await b.activeSilences(0)).length, 1);
  });
}
