// Proves every numbered exercise in every notebook's Exercises section comes with a hint and a
// worked solution the learner can reveal (a collapsed <details><summary>Solution</summary>), so a
// learner is never left with a question and no way to check the answer. Reads the committed
// notebooks only; test/notebooks.test.ts runs the solutions' code after each notebook.
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, test } from 'vitest';
import { NOTEBOOKS_DIR, listNotebooks, sourceOf } from '../notebook-harness';
import type { NotebookJson } from './quoted-numbers';


export interface Exercise {
  number: number;
  text: string;
}

/**
 * The numbered exercises of a notebook's "## Exercises" section (up to the next "## " heading),
 * each with its whole text: a new exercise starts at a line "N. " that is not inside a fenced
 * code block or a <details> block (solutions may hold numbered lists and code of their own).
 * Null when the notebook has no Exercises section.
 */
export function exercisesOf(notebook: NotebookJson): Exercise[] | null {
  const lines = notebook.cells.filter((c) => c.cell_type === 'markdown').map(sourceOf).join('\n').split('\n');
  let inSection = false;
  let found = false;
  let inFence = false;
  let detailsDepth = 0;
  const exercises: Exercise[] = [];
  for (const line of lines) {
    const outside = !inFence && detailsDepth === 0;
    if (outside && /^##\s/.test(line)) {
      inSection = /^##\s+Exercises\b/i.test(line);
      found ||= inSection;
      continue;
    }
    if (/^\s*```/.test(line)) inFence = !inFence;
    if (!inFence) detailsDepth = Math.max(0, detailsDepth + (line.match(/<details>/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length);
    if (!inSection) continue;
    const start = outside ? /^(\d+)\.\s/.exec(line) : null;
    if (start) exercises.push({ number: Number(start[1]), text: line });
    else if (exercises.length > 0) exercises[exercises.length - 1].text += `\n${line}`;
  }
  return found ? exercises : null;
}

const HINT = /\*Hint:\*|<details>\s*<summary>\s*Hint\s*<\/summary>/i;
const SOLUTION = /<details>\s*<summary>\s*Solution\s*<\/summary>[\s\S]*?<\/details>/i;

/** What a notebook's exercises lack, one line per problem, naming the notebook and the exercise. */
export function exerciseProblems(name: string, notebook: NotebookJson): string[] {
  const exercises = exercisesOf(notebook);
  if (exercises === null) return [`${name}: no "## Exercises" section`];
  if (exercises.length === 0) return [`${name}: the Exercises section has no numbered exercise`];
  const problems: string[] = [];
  exercises.forEach((exercise, index) => {
    if (exercise.number !== index + 1) problems.push(`${name}: exercise ${exercise.number} is number ${index + 1} in the list (numbering skips or repeats)`);
    if (!HINT.test(exercise.text)) problems.push(`${name} exercise ${exercise.number}: no hint (*Hint:* or <details><summary>Hint</summary>)`);
    if (!SOLUTION.test(exercise.text)) problems.push(`${name} exercise ${exercise.number}: no worked solution (<details><summary>Solution</summary> … </details>)`);
  });
  return problems;
}

const md = (source: string) => ({ cells: [{ cell_type: 'markdown', source }] });

describe('every exercise has a hint and a worked solution', () => {
  test('the finder reads numbered exercises of the Exercises section only, not numbered lines inside solutions or code', () => {
    const notebook = md(
      '## Questions\n\n1. not an exercise\n\n## Exercises\n\n1. First.\n\n   *Hint:* look.\n\n   <details><summary>Solution</summary>\n\n```ts\n2. inside code\n```\n\n1. a list inside the solution\n\n   </details>\n\n' +
        '2. Second.\n   <details><summary>Hint</summary>h</details>\n   <details><summary>Solution</summary>s</details>\n\n## Further reading\n\n3. not an exercise',
    );
    expect(exercisesOf(notebook)?.map((e) => e.number)).toEqual([1, 2]);
    expect(exerciseProblems('x.ipynb', notebook)).toEqual([]);
  });

  test('a missing hint, a missing solution, an open-coded solution and a missing section are each named', () => {
    const notebook = md('## Exercises (change X, predict Y)\n\n1. No hint.\n   <details><summary>Solution</summary>s</details>\n2. No solution.\n\n   *Hint:* h\n3. Solution not collapsed.\n\n   *Hint:* h\n\n   **Solution:** s\n');
    expect(exerciseProblems('x.ipynb', notebook)).toEqual([
      'x.ipynb exercise 1: no hint (*Hint:* or <details><summary>Hint</summary>)',
      'x.ipynb exercise 2: no worked solution (<details><summary>Solution</summary> … </details>)',
      'x.ipynb exercise 3: no worked solution (<details><summary>Solution</summary> … </details>)',
    ]);
    expect(exerciseProblems('y.ipynb', md('## Takeaways\n\n1. a takeaway'))).toEqual(['y.ipynb: no "## Exercises" section']);
    expect(exerciseProblems('z.ipynb', md('## Exercises\n\n1. One.\n   *Hint:* h <details><summary>Solution</summary>s</details>\n3. Three.\n   *Hint:* h <details><summary>Solution</summary>s</details>'))).toEqual([
      'z.ipynb: exercise 3 is number 2 in the list (numbering skips or repeats)',
    ]);
  });

  test.each(listNotebooks())('%s: every exercise has a hint and a solution', (name) => {
    const notebook = JSON.parse(fs.readFileSync(path.join(NOTEBOOKS_DIR, name), 'utf8')) as NotebookJson;
    expect(exerciseProblems(name, notebook)).toEqual([]);
  });
});
