#!/usr/bin/env node
import { runCli } from './run';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
});
// Sockets and timers are closed; exit once the output is flushed.
process.stdout.write('', () => process.exit(code));
