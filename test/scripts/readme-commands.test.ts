// Proves that the check-history commands the documentation shows really run: every
// `npm run --silent check-history -- FILE ...` line inside a code block of README.md,
// lib/check/README.md or examples/README.md names a file that exists, exits 0, and, when the
// documentation shows the JSON line it prints, gives the same verdict and operation count.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, test } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const DOCUMENTS = ['README.md', 'lib/check/README.md', 'examples/README.md'];
const COMMAND = /^\s*npm run --silent check-history -- (.+)$/;

interface ShownCommand {
  document: string;
  line: number;
  args: string[];
  /** The JSON line printed right after the command in the same code block, if any. */
  shownOutput: string | null;
}

function codeBlockLines(text: string): Array<{ line: number; text: string; next: string | null }> {
  const lines = text.split('\n');
  const found: Array<{ line: number; text: string; next: string | null }> = [];
  let inBlock = false;
  lines.forEach((line, index) => {
    if (line.trimStart().startsWith('```')) {
      inBlock = !inBlock;
      return;
    }
    if (inBlock) {
      const following = lines[index + 1];
      found.push({ line: index + 1, text: line, next: following !== undefined && following.trimStart().startsWith('{') ? following.trim() : null });
    }
  });
  return found;
}

function shownCommands(): ShownCommand[] {
  const commands: ShownCommand[] = [];
  for (const document of DOCUMENTS) {
    const file = path.join(ROOT, document);
    if (!fs.existsSync(file)) continue;
    for (const entry of codeBlockLines(fs.readFileSync(file, 'utf8'))) {
      const match = COMMAND.exec(entry.text);
      if (!match) continue;
      const args = match[1].trim().split(/\s+/);
      // A usage line (`<file> [--format ...]`) is a template, not a command to run.
      if (args.some((arg) => arg.startsWith('<') || arg.startsWith('['))) continue;
      commands.push({ document, line: entry.line, args, shownOutput: entry.next });
    }
  }
  return commands;
}

const commands = shownCommands();

describe('commands shown in the documentation', () => {
  test('the documentation shows at least one runnable check-history command', () => {
    expect(commands.length).toBeGreaterThan(0);
  });

  test.each(commands.map((command) => [`${command.document}:${command.line} check-history ${command.args.join(' ')}`, command] as const))(
    '%s runs and prints what the documentation shows',
    (_label, command) => {
      const file = command.args.find((arg) => !arg.startsWith('--'));
      expect(file, 'the command names a history file').toBeDefined();
      expect(fs.existsSync(path.join(ROOT, file as string)), `${command.document}:${command.line} names ${file}, which must exist (relative to the project root, where npm runs scripts)`).toBe(true);
      const run = spawnSync('npm', ['run', '--silent', 'check-history', '--', ...command.args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(run.status, run.stderr).toBe(0);
      const printed = JSON.parse(run.stdout.trim()) as { verdict: string; operations: number };
      if (command.shownOutput) {
        const verdict = /"verdict":"([^"]+)"/.exec(command.shownOutput)?.[1];
        const operations = /"operations":(\d+)/.exec(command.shownOutput)?.[1];
        if (verdict) expect(printed.verdict).toBe(verdict);
        if (operations) expect(printed.operations).toBe(Number(operations));
      }
    },
    60_000,
  );
});
