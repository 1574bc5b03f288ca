// Proves every notebook closes the same way, so a learner always finds the same landmarks:
// "## Takeaways" (English), then "## सार (हिंदी में)" (the Hindi summary, in Devanagari), then
// "## Exercises…", then "## Further reading", as the last four second-level headings in order.
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, test } from 'vitest';
import { NOTEBOOKS_DIR, listNotebooks, sourceOf } from '../notebook-harness';
import type { NotebookJson } from './quoted-numbers';


export const HINDI_SUMMARY_HEADING = 'सार (हिंदी में)';
const CLOSING = [/^Takeaways$/, new RegExp(`^${HINDI_SUMMARY_HEADING.replace(/[()]/g, '\\$&')}$`), /^Exercises\b/, /^Further reading$/];

/** What is wrong with a notebook's closing sections, or [] when they are right. */
export function closingProblems(name: string, notebook: NotebookJson): string[] {
  const headings: string[] = [];
  let inFence = false;
  for (const cell of notebook.cells.filter((c) => c.cell_type === 'markdown')) {
    for (const line of sourceOf(cell).split('\n')) {
      if (/^\s*```/.test(line)) inFence = !inFence;
      if (!inFence && /^##\s/.test(line)) headings.push(line.replace(/^##\s+/, '').trim());
    }
  }
  const last = headings.slice(-CLOSING.length);
  const wanted = ['Takeaways', HINDI_SUMMARY_HEADING, 'Exercises', 'Further reading'];
  const bad = CLOSING.some((re, i) => last[i] === undefined || !re.test(last[i]));
  if (!bad) {
    // The Hindi summary says something in Devanagari, beyond its heading.
    const text = notebook.cells.map(sourceOf).join('\n');
    const after = text.slice(text.indexOf(`## ${HINDI_SUMMARY_HEADING}`) + HINDI_SUMMARY_HEADING.length + 3);
    const body = after.slice(0, after.search(/\n##\s/));
    const devanagari = (body.match(/[\u0900-\u097F]/g) ?? []).length;
    return devanagari >= 100 ? [] : [`${name}: the Hindi summary has ${devanagari} Devanagari characters (at least 100 expected)`];
  }
  return [`${name}: the last second-level headings are ${JSON.stringify(last)}; expected ${JSON.stringify(wanted)} (Exercises may carry a subtitle)`];
}

const md = (source: string) => ({ cells: [{ cell_type: 'markdown', source }] });
const hindi = 'यह एक सारांश है। '.repeat(12);

describe('every notebook closes with takeaways, a Hindi summary, exercises and further reading', () => {
  test('the check accepts the right order and names a wrong heading or an empty summary', () => {
    expect(closingProblems('a', md(`## 1 · X\n\n## Takeaways\n\n## ${HINDI_SUMMARY_HEADING}\n\n${hindi}\n\n## Exercises (change X)\n\n## Further reading\n`))).toEqual([]);
    expect(closingProblems('b', md(`## Takeaways\n\n## सारांश\n\n${hindi}\n\n## Exercises\n\n## Further reading\n`))[0]).toContain('"सारांश"');
    expect(closingProblems('c', md(`## Takeaways\n\n## ${HINDI_SUMMARY_HEADING}\n\nशब्द\n\n## Exercises\n\n## Further reading\n`))).toEqual(['c: the Hindi summary has 4 Devanagari characters (at least 100 expected)']);
    expect(closingProblems('d', md(`## Exercises\n\n## Takeaways\n\n## ${HINDI_SUMMARY_HEADING}\n\n${hindi}\n\n## Further reading\n`))).toHaveLength(1);
  });

  test.each(listNotebooks())('%s closes with Takeaways, सार (हिंदी में), Exercises, Further reading', (name) => {
    const notebook = JSON.parse(fs.readFileSync(path.join(NOTEBOOKS_DIR, name), 'utf8')) as NotebookJson;
    expect(closingProblems(name, notebook)).toEqual([]);
  });
});
