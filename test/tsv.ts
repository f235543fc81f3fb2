/** The mariadb client's -B output (tab-separated, header row, NULL as text) → rows like mysql2's. */
export function tsvRows(text: string): Record<string, unknown>[] {
  const [head, ...lines] = text.trimEnd().split('\n');
  const cols = (head ?? '').split('\t');
  return lines.map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] === 'NULL' ? null : (cells[i] ?? '')]));
  });
}
