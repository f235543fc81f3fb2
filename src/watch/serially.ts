const tails = new WeakMap<object, Promise<unknown>>();

/**
 * Runs `fn` after every section started earlier on the same key (the store) has settled: one at a
 * time, in order. A cycle's store section (load trackers → step → commit) awaits the store; a
 * retry cycle over other hosts runs beside it, and without this its load could land between the
 * other's load and commit, and its commit (every tracker, rewritten) would undo the other's.
 */
export function serially<T>(key: object, fn: () => Promise<T>): Promise<T> {
  const prev = tails.get(key) ?? Promise.resolve();
  const run = prev.then(fn, fn);
  tails.set(
    key,
    run.catch(() => undefined),
  );
  return run;
}
