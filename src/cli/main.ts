import { runCli } from './run-cli.js';

// The only place the CLI touches process globals; everything below takes them as parameters.
const code = await runCli(process.argv.slice(2), process.env, {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  isTTY: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
});
process.exitCode = code;
