/*
 * `node --import tsx scripts/structure-figures.ts [WIDTH]`: the figures the architecture pass is
 * judged by, measured from src/ as it stands — largest file, files over 150 lines, imports per
 * module (statements, and distinct src folders), imports that break a folder README's
 * "May import:" line, `as never` casts, and lines longer than WIDTH (default 120).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { layerViolations } from '../test/support/layers.js';

const root = join(import.meta.dirname, '..');
const width = Number(process.argv[2] ?? 120);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const src = files(join(root, 'src'));
const rows = src.map((p) => {
  const text = readFileSync(p, 'utf8');
  const lines = text.split('\n');
  const imports = [...text.matchAll(/^import[^;]*?from '([^']+)'/gms)].map((m) => m[1]!);
  const folders = new Set(imports.filter((i) => i.startsWith('.')).map((i) => relative(join(root, 'src'), join(p, '..', i)).split('/')[0]));
  return {
    file: relative(root, p),
    lines: lines.length - (text.endsWith('\n') ? 1 : 0),
    imports: imports.length,
    folders: folders.size,
    asNever: (text.match(/\bas never\b/g) ?? []).length,
    wide: lines.filter((l) => l.length > width).length,
    longest: Math.max(...lines.map((l) => l.length)),
  };
});
const max = <K extends keyof (typeof rows)[number]>(k: K) => rows.reduce((a, b) => (b[k] > a[k] ? b : a));
const violations = layerViolations(root);
const out = {
  files: rows.length,
  largestFile: `${max('lines').file} (${max('lines').lines} lines)`,
  filesOver150Lines: rows.filter((r) => r.lines > 150).length,
  maxImportsPerModule: `${max('imports').imports} (${max('imports').file})`,
  maxFoldersImportedByOneModule: `${max('folders').folders} (${max('folders').file})`,
  layerViolations: violations.length,
  asNever: rows.reduce((n, r) => n + r.asNever, 0),
  [`linesOver${width}`]: rows.reduce((n, r) => n + r.wide, 0),
  longestLine: `${max('longest').longest} (${max('longest').file})`,
};
process.stdout.write(`${JSON.stringify(out, null, 2)}\n${violations.map((v) => `  ${v}`).join('\n')}\n`);
