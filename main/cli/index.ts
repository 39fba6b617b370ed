#!/usr/bin/env node
import { createInterface } from 'node:readline';
import { runCli } from './run';

/** The next non-empty line of stdin (the address pasted at `login`), or null when stdin ends. */
function readLine(prompt: string | null): Promise<string | null> {
  if (prompt) process.stderr.write(prompt);
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin });
    let answered = false;
    lines.on('line', (line) => {
      if (answered || line.trim() === '') return;
      answered = true;
      lines.close();
      resolve(line.trim());
    });
    lines.on('close', () => {
      if (!answered) resolve(null);
    });
  });
}

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  readLine,
});
// Sockets and timers are closed; exit once the output is flushed.
process.stdout.write('', () => process.exit(code));
