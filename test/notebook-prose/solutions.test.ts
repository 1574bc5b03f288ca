// Proves every worked solution in the notebooks runs: the code blocks inside the collapsed
// <details> of each notebook's Exercises are appended as cells after the notebook's own cells
// (as a learner would paste them) and the whole notebook is executed with the project kernel.
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, describe, expect, test } from 'vitest';
import { EXECUTED_DIR, NOTEBOOKS_DIR, describeFailure, listNotebooks, prepareNotebookEnvironment, runNotebook } from '../notebook-harness';
import type { NotebookEnvironment } from '../notebook-harness';
import type { NotebookJson } from './quoted-numbers';

const sourceOf = (cell: { source: string | string[] }) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source);

/** The ```ts blocks inside <details> blocks of a notebook's Markdown, in order. */
export function solutionCode(notebook: NotebookJson): string[] {
  const blocks: string[] = [];
  for (const cell of notebook.cells.filter((c) => c.cell_type === 'markdown')) {
    for (const details of sourceOf(cell).matchAll(/<details>([\s\S]*?)<\/details>/g)) {
      for (const code of details[1].matchAll(/```ts\n([\s\S]*?)```/g)) blocks.push(code[1]);
    }
  }
  return blocks;
}

const withSolutions = listNotebooks().filter((name) => solutionCode(JSON.parse(fs.readFileSync(path.join(NOTEBOOKS_DIR, name), 'utf8'))).length > 0);
let environment: NotebookEnvironment | null = null;
afterAll(() => environment?.cleanup());

describe('exercise solutions', () => {
  test('the solution finder reads code from <details> blocks only', () => {
    const notebook: NotebookJson = { cells: [{ cell_type: 'markdown', source: '```ts\nnot a solution\n```\n<details><summary>Solution</summary>\n\n```ts\nconst x = 1;\n```\n</details>' }] };
    expect(solutionCode(notebook)).toEqual(['const x = 1;\n']);
  });

  test.each(withSolutions)('every solution in %s runs after the notebook', async (name) => {
    const notebook = JSON.parse(fs.readFileSync(path.join(NOTEBOOKS_DIR, name), 'utf8')) as NotebookJson & Record<string, unknown>;
    // Each solution in its own block, so two solutions may use the same names.
    const cells = solutionCode(notebook).map((code, index) => ({ cell_type: 'code', id: `solution-${index}`, metadata: {}, execution_count: null, outputs: [], source: `{\n${code}}\n` }));
    const dir = path.join(EXECUTED_DIR, '..', 'solutions');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify({ ...notebook, cells: [...notebook.cells, ...cells] }));
    environment ??= prepareNotebookEnvironment();
    const report = await runNotebook(environment, file, path.join(dir, `executed-${name}`));
    expect(report.ok, describeFailure(name, report)).toBe(true);
  }, 300_000);
});
