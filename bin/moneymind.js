#!/usr/bin/env node
// In a checkout with dev dependencies, runs the TypeScript sources through tsx so `npx moneymind`
// is never a stale build; in a production install (no tsx), runs the build in dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('../src/cli/main.ts', import.meta.url);
let tsx;
try {
  tsx = existsSync(fileURLToPath(source)) ? await import('tsx/esm/api') : undefined;
} catch (err) {
  // No tsx (production install without dev dependencies): fall through to the build.
  if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
}
if (tsx) {
  tsx.register();
  await import(source.href);
} else {
  await import(new URL('../dist/cli/main.js', import.meta.url).href);
}
