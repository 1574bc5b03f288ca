// Every worked solution in the notebooks runs: test/notebooks.test.ts executes each notebook and
// then the code blocks inside the collapsed <details> of its Exercises, appended as cells after the
// notebook's own cells (as a learner would paste them), in the same kernel run
// (runNotebookWithSolutions in test/notebook-harness.ts). This file proves the finder reads
// solutions, and only solutions.
import { describe, expect, test } from 'vitest';
import { solutionCode } from '../notebook-harness';

describe('exercise solutions', () => {
  test('the solution finder reads code from <details> blocks only', () => {
    const notebook = { cells: [{ cell_type: 'markdown', source: '```ts\nnot a solution\n```\n<details><summary>Solution</summary>\n\n```ts\nconst x = 1;\n```\n</details>' }] };
    expect(solutionCode(notebook)).toEqual(['const x = 1;\n']);
  });

  test('finds several solutions in order, across cells, and none in code cells', () => {
    const notebook = {
      cells: [
        { cell_type: 'code', source: '<details>\n```ts\nnot markdown\n```\n</details>' },
        { cell_type: 'markdown', source: ['<details>\n```ts\nconst a = 1;\n```\n</details>\n', '<details><summary>Hint</summary>no code</details>'] },
        { cell_type: 'markdown', source: '<details>\n```ts\nconst b = 2;\n```\n```ts\nconst c = 3;\n```\n</details>' },
      ],
    };
    expect(solutionCode(notebook)).toEqual(['const a = 1;\n', 'const b = 2;\n', 'const c = 3;\n']);
  });
});
