import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/*
 * The layering rule each src/ folder states in its README, as one line:
 *   May import: `config/types`, `errors`, `remote/host-transport`, `node:*`, `pino` (types).
 * Every backticked token is an allowance: a src/ folder (`config`), a file in one (`config/types`),
 * a top-level file (`errors`), an npm package (`pino`, `@slack/bolt`) or node builtins (`node:fs`,
 * or `node:*` for all). Imports within the folder itself are always allowed; `import type` of a
 * package is allowed everywhere (no code runs). Anything else is a violation, named with the fix.
 */
export interface FolderRule {
  readonly folder: string;
  readonly allowed: readonly string[];
}

const MAY_IMPORT = /^May import:(.*)$/m;

export function folderRules(root: string): FolderRule[] {
  const src = join(root, 'src');
  return readdirSync(src)
    .filter((name) => statSync(join(src, name)).isDirectory())
    .map((folder) => {
      const readme = join(src, folder, 'README.md');
      const line = existsSync(readme) ? MAY_IMPORT.exec(readFileSync(readme, 'utf8'))?.[1] : undefined;
      return { folder, allowed: line === undefined ? [] : [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/^(\.\.\/)+/, '')) };
    });
}

/** "src/checks/health-check.ts imports src/slack/x.ts: not in checks/README.md's May import line". */
export function layerViolations(root: string): string[] {
  const out: string[] = [];
  for (const rule of folderRules(root)) {
    const dir = join(root, 'src', rule.folder);
    if (!existsSync(join(dir, 'README.md')) || !MAY_IMPORT.test(readFileSync(join(dir, 'README.md'), 'utf8'))) {
      out.push(`src/${rule.folder}/README.md has no "May import:" line`);
      continue;
    }
    for (const file of tsFiles(dir)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
        const typeOnly = Boolean(m[1]);
        const spec = m[2]!;
        const where = relative(root, file);
        if (spec.startsWith('.')) {
          const target = relative(join(root, 'src'), join(dirname(file), spec)).replace(/\.js$/, '');
          const [top] = target.split('/');
          if (top === rule.folder || top === '..') continue;
          if (!allows(rule.allowed, target))
            out.push(
              `${where} imports src/${target}: not allowed by src/${rule.folder}/README.md (add \`${target}\` to its May import line, or move the code)`,
            );
        } else if (!typeOnly && !allowsPackage(rule.allowed, spec)) {
          out.push(`${where} imports ${spec}: not allowed by src/${rule.folder}/README.md (add \`${spec}\` to its May import line, or move the code)`);
        }
      }
    }
  }
  return out;
}

/** `config` allows config/*, `config/types` allows exactly that file. */
function allows(allowed: readonly string[], target: string): boolean {
  return allowed.some((a) => target === a || target.startsWith(`${a}/`));
}

function allowsPackage(allowed: readonly string[], spec: string): boolean {
  if (spec.startsWith('node:')) return allowed.includes('node:*') || allowed.includes(spec);
  const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
  return allowed.includes(name) || allowed.includes(spec);
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}
