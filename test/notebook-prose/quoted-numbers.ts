/**
 * Which numbers does a notebook's Markdown quote that its executed outputs never show?
 *
 * A number hand-typed into prose drifts the moment the code changes; this finds them. Rules
 * (kept small on purpose, so a real drift cannot hide behind them):
 * - Numbers are read from Markdown cells, after removing code spans and fenced code (options
 *   and calls a learner types, e.g. `seed: 41`), link targets, headings (section numbers),
 *   and collapsed <details> blocks (exercise solutions: test/notebooks.test.ts runs those after
 *   each notebook and checks their stated results).
 * - Small integers 0–12 are not checked: they count things the prose describes ("three
 *   keys", "epoch 2", list items), not measurements.
 * - Years 1900–2099 next to a citation are not measurements either.
 * - A notebook may list further non-run numbers (constants from data/, section numbers of a
 *   cited book) in NOT_FROM_A_RUN below, each with its reason.
 * - A number counts as shown when some number in the executed notebook's outputs (stream
 *   text, text/plain, text/markdown, text/html; thousands separators removed) rounds to it at
 *   the precision the prose quotes: "28.9" is shown by a table cell 28.93, "246" by 245.7.
 */
import { sourceOf } from '../notebook-harness';

export interface NotebookJson {
  cells: Array<{ cell_type: string; source: string | string[]; outputs?: Array<Record<string, unknown>> }>;
}

/** Numbers a notebook's prose may quote that no run prints, and why. */
export const NOT_FROM_A_RUN: Record<string, Record<string, string>> = {
  '*': {
    '100': 'round percentages and the 100 ms / 200 ms lag objectives are stated inputs',
    '200': 'lag objective (input)',
    '1000': 'per-second rates are inputs',
    '30': 'NEFT settles in half-hourly (30 min) batches',
    '50': 'heartbeat interval (input)',
    '500': 'election timeout / hour length inputs',
    '400': 'lease length (input)',
  },
};

/** Prose with the parts that are not claims about a run removed. */
export function proseOf(markdown: string): string {
  return markdown
    .replace(/<details>[\s\S]*?<\/details>/g, ' ')
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/\]\([^)]*\)/g, '] ')
    .replace(/https?:\/\/\S+/g, ' ')
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n');
}

/** The numbers quoted in a piece of prose, normalised ("1,726" → "1726"). */
export function quotedNumbers(prose: string): string[] {
  const found: string[] = [];
  for (const match of prose.matchAll(/(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.,])\d+(?:\.\d+)?(?![\w])/g)) {
    const text = match[0].replace(/,/g, '');
    const value = Number(text);
    if (Number.isInteger(value) && value <= 12) continue;
    if (Number.isInteger(value) && value >= 1900 && value <= 2099) continue;
    found.push(text);
  }
  return found;
}

/** All text the executed notebook's outputs show, thousands separators removed. */
export function outputText(notebook: NotebookJson): string {
  const parts: string[] = [];
  for (const cell of notebook.cells) {
    for (const output of cell.outputs ?? []) {
      if (typeof output.text === 'string' || Array.isArray(output.text)) parts.push(sourceOf({ source: output.text as string | string[] }));
      const data = output.data as Record<string, unknown> | undefined;
      if (!data) continue;
      for (const mime of ['text/plain', 'text/markdown', 'text/html']) {
        const value = data[mime];
        if (typeof value === 'string' || Array.isArray(value)) parts.push(sourceOf({ source: value as string | string[] }));
      }
    }
  }
  return parts.join('\n').replace(/(\d),(?=\d{3})/g, '$1');
}

/** Every number in the output text, in every rounding from 0 to its own number of decimals. */
export function shownNumbers(text: string): Set<string> {
  const shown = new Set<string>();
  for (const match of text.matchAll(/\d+(?:\.\d+)?/g)) {
    const decimals = (match[0].split('.')[1] ?? '').length;
    const value = Number(match[0]);
    for (let d = 0; d <= decimals; d++) shown.add(value.toFixed(d));
  }
  return shown;
}

export interface UnshownNumber {
  cellIndex: number;
  number: string;
  context: string;
}

/** Every number the Markdown of `committed` quotes that the outputs of `executed` do not show. */
export function unshownNumbers(name: string, executed: NotebookJson): UnshownNumber[] {
  const shown = shownNumbers(outputText(executed));
  const allowed = { ...NOT_FROM_A_RUN['*'], ...(NOT_FROM_A_RUN[name] ?? {}) };
  const missing: UnshownNumber[] = [];
  executed.cells.forEach((cell, cellIndex) => {
    if (cell.cell_type !== 'markdown') return;
    const prose = proseOf(sourceOf(cell));
    for (const number of quotedNumbers(prose)) {
      if (allowed[number]) continue;
      if (shown.has(number)) continue;
      const at = prose.indexOf(number);
      missing.push({ cellIndex, number, context: prose.slice(Math.max(0, at - 40), at + 40).replace(/\s+/g, ' ') });
    }
  });
  return missing;
}
