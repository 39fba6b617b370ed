/**
 * Electronegativity over the built app: no finding of medium or higher severity. The tool exits 0 even with
 * findings, so the CSV it writes is what we read.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

/** Parses CSV text (quoted fields may hold commas, doubled quotes and line breaks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field.trim());
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(field.trim());
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  row.push(field.trim());
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

describe('electronegativity', () => {
  it('finds nothing of medium or higher severity in the built app', async () => {
    expect(existsSync(join(ROOT, 'out/main/index.js')), 'run npm run build first').toBe(true);
    const report = join(mkdtempSync(join(tmpdir(), 'tfs-eng-')), 'report.csv');
    const output = await new Promise<string>((done) =>
      execFile(
        'npx',
        ['electronegativity', '-e', '45.4.1', '-i', 'out', '-o', report],
        { cwd: ROOT, timeout: 120_000 },
        (_error, stdout, stderr) => done(`${stdout}\n${stderr}`),
      ),
    );
    expect(existsSync(report), output).toBe(true);
    const [header, ...rows] = parseCsv(readFileSync(report, 'utf8'));
    expect(header!.slice(0, 2)).toEqual(['issue', 'severity']);
    // A row whose severity cannot be read counts as a finding: a broken report must not pass by accident.
    const serious = rows
      .filter(
        ([, severity]) =>
          !SEVERITIES.includes((severity ?? '').toUpperCase()) ||
          SEVERITIES.indexOf(severity!.toUpperCase()) >= 2,
      )
      .map(([issue, severity, , file, location]) => `${severity} ${issue} ${file}:${location}`);
    expect(serious, output).toEqual([]);
    // The main process and the preload must have been analysed, not skipped as unparseable.
    expect(output, output).not.toMatch(/Error parsing .*out\/(main|preload)\//);
  }, 150_000);
});
