/**
 * A YAML syntax error as one clean line — `moneymind.yml line 3, column 1: sequence item without -
 * indicator` — then the offending line's text, when there is one, as a second one. The yaml library's
 * own message ends in "at line 3, column 1:" and a multi-line snippet, which reads badly inside the
 * bot's one-line errors. `line` and `col` count from 1.
 */
export function yamlErrorMessage(file: string, text: string, message: string, line: number, col: number): string {
  const what = message.replace(/\.$/, '').replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase());
  const source = text.split(/\r?\n/)[line - 1] ?? '';
  const shown = source.length > 120 ? `${source.slice(0, 120)}…` : source;
  return `${file} line ${line}, column ${col}: ${what}${shown.trim() ? `\n  ${line} | ${shown}` : ''}`;
}
