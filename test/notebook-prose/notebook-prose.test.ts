// Proves the lessons never say more than they showed: every number a notebook's Markdown
// quotes appears in that notebook's executed outputs (see quoted-numbers.ts for the rules),
// and every notebook closes with English takeaways, a Hindi summary and the navigation line.
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, describe, expect, test } from 'vitest';
import { EXECUTED_DIR, NOTEBOOKS_DIR, describeFailure, listNotebooks, prepareNotebookEnvironment, runNotebook, sourceOf } from '../notebook-harness';
import type { NotebookEnvironment } from '../notebook-harness';
import { NotebookJson, quotedNumbers, proseOf, unshownNumbers } from './quoted-numbers';

const notebooks = listNotebooks();
const NOTEBOOK_TIMEOUT_MS = 180_000;
let environment: NotebookEnvironment | null = null;
afterAll(() => environment?.cleanup());

const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as NotebookJson;

/**
 * The executed notebook: test/notebooks.test.ts's output in artifacts/executed when its
 * cells are the committed ones, otherwise a fresh run of our own (so this file also works alone).
 */
async function executed(name: string): Promise<NotebookJson> {
  const committed = read(path.join(NOTEBOOKS_DIR, name));
  const existing = path.join(EXECUTED_DIR, name);
  if (fs.existsSync(existing)) {
    const run = read(existing);
    const same = run.cells.length === committed.cells.length && run.cells.every((c, i) => sourceOf(c) === sourceOf(committed.cells[i]));
    if (same) return run;
  }
  environment ??= prepareNotebookEnvironment();
  const output = path.join(EXECUTED_DIR, '..', 'prose-check', name);
  const report = await runNotebook(environment, path.join(NOTEBOOKS_DIR, name), output);
  if (!report.ok) throw new Error(describeFailure(name, report));
  return read(output);
}

describe('the number finder', () => {
  test('reads numbers from prose, not from code, links, headings, solutions, small counts or years', () => {
    const prose = proseOf('## 3 · Section\nLag 246 ms, 1,726 writes, 28.9 ms (Vogels 2009), three keys, 2 leaders. `seed: 41` [x](a-99.ipynb)\n<details>expected 777</details>');
    expect(quotedNumbers(prose)).toEqual(['246', '1726', '28.9']);
  });
  test('finds a number the outputs do not show, and accepts one they show at more precision', () => {
    const notebook: NotebookJson = { cells: [
      { cell_type: 'markdown', source: 'dropped those 24 entries; P50 28.9 ms' },
      { cell_type: 'code', source: '', outputs: [{ output_type: 'stream', text: 'dropped LSN 1708–1727 (20 entries); p50 28.93' }] },
    ] };
    expect(unshownNumbers('x.ipynb', notebook).map((m) => m.number)).toEqual(['24']);
  });
});

describe('notebook prose', () => {
  test.each(notebooks)('%s quotes no number its outputs do not show', async (name) => {
    const missing = unshownNumbers(name, await executed(name));
    expect(missing.map((m) => `cell ${m.cellIndex}: ${m.number} in "…${m.context}…"`)).toEqual([]);
  }, NOTEBOOK_TIMEOUT_MS);

  test.each(notebooks)('%s ends with English takeaways, a Hindi summary after them, and the navigation line', (name) => {
    const cells = read(path.join(NOTEBOOKS_DIR, name)).cells;
    const markdown = cells.filter((c) => c.cell_type === 'markdown').map(sourceOf).join('\n');
    const takeaways = markdown.indexOf('## Takeaways');
    expect(takeaways, `${name}: a Takeaways section`).toBeGreaterThanOrEqual(0);
    const after = markdown.slice(takeaways, markdown.indexOf('## Exercises', takeaways));
    expect((after.match(/[\u0900-\u097F]/g) ?? []).length, `${name}: Hindi (Devanagari) summary after the takeaways`).toBeGreaterThan(80);
    const last = cells[cells.length - 1];
    expect(last.cell_type).toBe('markdown');
    expect(sourceOf(last).trim(), `${name}: last cell repeats the navigation line`).toBe(sourceOf(cells[0]).split('\n')[0].trim());
  });
});
