#!/usr/bin/env node
// In a checkout with dev dependencies, runs the TypeScript sources through tsx so `npx moneymind`
// is never a stale build; in a production install (no tsx), runs the build in dist/. In a fresh
// clone (neither yet) it says in one line what to run, never a stack trace.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('../src/cli/main.ts', import.meta.url);
const build = new URL('../dist/cli/main.js', import.meta.url);
let tsx;
try {
  tsx = existsSync(fileURLToPath(source)) ? await import('tsx/esm/api') : undefined;
} catch (err) {
  // No tsx (production install without dev dependencies, or nothing installed yet): the build.
  if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
}
if (tsx) {
  tsx.register();
  await import(source.href);
} else if (existsSync(fileURLToPath(build))) {
  await import(build.href);
} else {
  process.stderr.write('moneymind: not installed yet — run `npm ci` in the checkout first (or `npm start`, which installs, builds and runs the bot)\n');
  process.exitCode = 2;
}
