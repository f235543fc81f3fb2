import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { OpsError } from '../errors.js';
import { yamlErrorMessage } from './yaml-error-message.js';

/** The config file as plain data; an unreadable file or a YAML syntax error is an OpsError('CONFIG'). */
export function readYaml(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new OpsError('CONFIG', `cannot read config file ${file} (${code ?? 'error'})`, {
      fix: 'pass --config PATH or set MONEYMIND_CONFIG to an existing file',
      cause: err,
    });
  }
  // prettyErrors off: the bare message, with the position from the LineCounter instead of a snippet.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  // Only the first error: the ones after it are mostly the parser losing its way because of it.
  const first = doc.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    throw new OpsError('CONFIG', yamlErrorMessage(file, text, first.message, line, col), { cause: first });
  }
  try {
    return doc.toJS();
  } catch (err) {
    // An alias to an anchor that does not exist is found only here, without a position.
    throw new OpsError('CONFIG', `${file} is not valid YAML: ${(err as Error).message}`, { cause: err });
  }
}
