/**
 * Last-resort cleanup. Every start* helper registers a synchronous cleanup
 * (SIGKILL its process tree, remove its sudoers drop-in and temp dir) that
 * runs when the test process exits or is interrupted without stop() having
 * been called: a crashed test, a missing after() hook, node:test's timeout
 * SIGTERM, or Ctrl-C. Handles unregister themselves on a normal stop().
 */
const cleanups = new Map<number, { label: string; fn: () => void }>();
let nextId = 1;
let installed = false;

function runAll(): void {
  for (const [id, { label, fn }] of [...cleanups].reverse()) {
    cleanups.delete(id);
    try {
      fn();
    } catch (err) {
      // Keep cleaning the others; report on stderr since we are exiting anyway.
      process.stderr.write(`[harness] emergency cleanup of ${label} failed: ${(err as Error).message}\n`);
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      runAll();
      // Re-raise so the exit status still says "killed by signal".
      process.kill(process.pid, sig);
    });
  }
}

/** Register a sync cleanup; returns a function that unregisters it. */
export function registerEmergencyCleanup(label: string, fn: () => void): () => void {
  install();
  const id = nextId++;
  cleanups.set(id, { label, fn });
  return () => {
    cleanups.delete(id);
  };
}
