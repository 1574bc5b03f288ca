/**
 * Heatmaps of a value per (row, column) pair, e.g. the round-trip time between every two
 * regions in ms, with the value printed in each cell.
 */
import { Figure } from './figure';
import { baseLayout, formatNumber } from './layout';
import { checkAxisTitle, checkSeed, checkTitle, describeValue, optionError } from './option-checks';
import { checkRecords, distinctInOrder, labelColumn, numericColumn } from './record-fields';

export interface HeatmapOptions<T extends object> {
  /** Row labels top to bottom. Required with z; with records, optional (default: first-appearance order). */
  rows?: readonly string[];
  /** Column labels left to right. Required with z; with records, optional. */
  columns?: readonly string[];
  /** z[r][c] is the value of row r, column c; null marks a cell with no value. */
  z?: ReadonlyArray<ReadonlyArray<number | null>>;
  /** Alternative to z: one record per cell. */
  records?: readonly T[];
  /** Field naming the row of a record, e.g. 'from'. */
  row?: keyof T & string;
  /** Field naming the column of a record, e.g. 'to'. */
  column?: keyof T & string;
  /** Numeric field with the cell value, e.g. 'rttMs'. */
  value?: keyof T & string;
  title: string;
  /** Colour-bar title with unit, e.g. "RTT (ms)"; with categories just a name, e.g. "alert state". */
  colorTitle: string;
  /** Column axis title, e.g. "to region"; default the column field, or "column". */
  xTitle?: string;
  /** Row axis title, e.g. "from region"; default the row field, or "row". */
  yTitle?: string;
  seed: number | null;
  /** Cell text: true (default) prints each value, false none, or a matrix of strings like z. */
  text?: boolean | ReadonlyArray<ReadonlyArray<string>>;
  /** A plotly colour scale name; default 'Viridis'. Not with categories. */
  colorscale?: string;
  /**
   * Discrete states instead of a continuous quantity: value k (an integer 0 … n-1) means
   * categories[k], e.g. ['inactive', 'pending', 'firing']. The colour bar then shows one
   * block per state with its name, and hovering names the state.
   */
  categories?: readonly string[];
  /** One CSS colour per category (default: light grey to dark red, in order). */
  categoryColors?: readonly string[];
}

/** Ordinal colours for discrete states, from "nothing" (light grey) to "worst" (dark red). */
const CATEGORY_RAMP = ['#eeeeee', '#fdd49e', '#fc8d59', '#d7301f', '#7f0000', '#3f007d'];

/** n colours from the ramp: its ends always, evenly spaced in between. */
function defaultCategoryColors(n: number): string[] {
  if (n === 1) return [CATEGORY_RAMP[0]];
  if (n > CATEGORY_RAMP.length) return Array.from({ length: n }, (_, k) => CATEGORY_RAMP[k % CATEGORY_RAMP.length]);
  const picks = n === 2 ? [0, 3] : n === 3 ? [0, 1, 3] : Array.from({ length: n }, (_, k) => k);
  return picks.map((k) => CATEGORY_RAMP[k]);
}

/**
 * A stepped colour scale where each integer value 0 … n-1 has one flat colour band (plotly's
 * scales are continuous; repeating each colour at both ends of its band makes the steps).
 */
function steppedColorscale(colors: readonly string[]): Array<[number, string]> {
  const n = colors.length;
  const scale: Array<[number, string]> = [];
  colors.forEach((color, k) => {
    scale.push([k / n, color], [(k + 1) / n, color]);
  });
  return scale;
}

const BUILDER = 'heatmapFigure';

interface Matrix { rows: string[]; columns: string[]; z: Array<Array<number | null>> }

function checkLabels(option: string, labels: unknown): string[] {
  if (!Array.isArray(labels) || labels.length === 0 || labels.some((l) => typeof l !== 'string')) {
    throw optionError(BUILDER, option, labels, 'allowed: a non-empty array of strings');
  }
  if (distinctInOrder(labels).length !== labels.length) {
    throw optionError(BUILDER, option, labels, 'allowed: distinct labels (one appears twice)');
  }
  return labels.slice();
}

function matrixFromZ<T extends object>(o: HeatmapOptions<T>): Matrix {
  const rows = checkLabels('rows', o.rows);
  const columns = checkLabels('columns', o.columns);
  const z = o.z as unknown;
  if (!Array.isArray(z) || z.length !== rows.length) {
    throw optionError(BUILDER, 'z', z, `allowed: an array of ${rows.length} rows (one per entry of rows)`);
  }
  return {
    rows, columns,
    z: z.map((line: unknown, r: number) => {
      if (!Array.isArray(line) || line.length !== columns.length) {
        throw optionError(BUILDER, `z[${r}]`, line, `allowed: an array of ${columns.length} values (one per entry of columns)`);
      }
      return line.map((v: unknown, c: number) => {
        if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) {
          throw optionError(BUILDER, `z[${r}][${c}]`, v, 'allowed: a finite number, or null for a cell with no value');
        }
        return v as number | null;
      });
    }),
  };
}

function matrixFromRecords<T extends object>(o: HeatmapOptions<T>): Matrix {
  const records = checkRecords(BUILDER, o.records);
  const rowOf = labelColumn(BUILDER, 'row', records, o.row);
  const columnOf = labelColumn(BUILDER, 'column', records, o.column);
  const values = numericColumn(BUILDER, 'value', records, o.value);
  const rows = o.rows === undefined ? distinctInOrder(rowOf) : checkLabels('rows', o.rows);
  const columns = o.columns === undefined ? distinctInOrder(columnOf) : checkLabels('columns', o.columns);
  const z: Array<Array<number | null>> = rows.map(() => columns.map(() => null));
  records.forEach((_, i) => {
    const r = rows.indexOf(rowOf[i]);
    const c = columns.indexOf(columnOf[i]);
    if (r < 0) throw optionError(BUILDER, `records[${i}].${String(o.row)}`, rowOf[i], `allowed: one of rows: ${rows.join(', ')}`);
    if (c < 0) throw optionError(BUILDER, `records[${i}].${String(o.column)}`, columnOf[i], `allowed: one of columns: ${columns.join(', ')}`);
    if (z[r][c] !== null) {
      throw new Error(`${BUILDER}: records[${i}] is a second record for cell (${describeValue(rowOf[i])}, ${describeValue(columnOf[i])}); allowed: one record per cell (aggregate first)`);
    }
    z[r][c] = values[i];
  });
  return { rows, columns, z };
}

function cellText<T extends object>(o: HeatmapOptions<T>, m: Matrix): string[][] | null {
  if (o.text === undefined || o.text === true) return m.z.map((line) => line.map((v) => (v === null ? '' : formatNumber(v))));
  if (o.text === false) return null;
  const text = o.text as unknown;
  const ok = Array.isArray(text) && text.length === m.rows.length &&
    text.every((line) => Array.isArray(line) && line.length === m.columns.length && line.every((t) => typeof t === 'string'));
  if (!ok) {
    throw optionError(BUILDER, 'text', text, `allowed: true, false, or a ${m.rows.length} × ${m.columns.length} matrix of strings`);
  }
  return (text as string[][]).map((line) => line.slice());
}

function applyCategories<T extends object>(o: HeatmapOptions<T>, m: Matrix, trace: Record<string, unknown>, titles: { xTitle: string; yTitle: string; colorTitle: string }): void {
  const categories = o.categories as unknown;
  if (!Array.isArray(categories) || categories.length === 0 || !categories.every((c) => typeof c === 'string' && c !== '')) {
    throw optionError(BUILDER, 'categories', categories, 'allowed: a non-empty array of state names, e.g. ["inactive", "pending", "firing"]');
  }
  if (o.colorscale !== undefined) throw optionError(BUILDER, 'colorscale', o.colorscale, 'allowed: no colorscale with categories (use categoryColors)');
  const n = categories.length;
  const colors = o.categoryColors === undefined ? defaultCategoryColors(n) : (o.categoryColors as unknown);
  if (!Array.isArray(colors) || colors.length !== n || !colors.every((c) => typeof c === 'string' && c !== '')) {
    throw optionError(BUILDER, 'categoryColors', colors, `allowed: ${n} CSS colours, one per category`);
  }
  m.z.forEach((line, r) => line.forEach((v, c) => {
    if (v !== null && (!Number.isInteger(v) || v < 0 || v >= n)) {
      throw optionError(BUILDER, `value at (${m.rows[r]}, ${m.columns[c]})`, v, `allowed: an integer 0 … ${n - 1} (an index into categories)`);
    }
  }));
  const names = categories as string[];
  trace.colorscale = steppedColorscale(colors as string[]);
  trace.zmin = -0.5;
  trace.zmax = n - 0.5;
  trace.colorbar = { title: { text: titles.colorTitle }, tickmode: 'array', tickvals: names.map((_, k) => k), ticktext: names, len: Math.min(1, 0.25 + 0.12 * n) };
  trace.customdata = m.z.map((line) => line.map((v) => (v === null ? '' : names[v])));
  trace.hovertemplate = `${titles.yTitle}: %{y}<br>${titles.xTitle}: %{x}<br>${titles.colorTitle}: %{customdata}<extra></extra>`;
  if (o.text === undefined || o.text === true) trace.text = trace.customdata;
}

export function heatmapFigure<T extends object>(o: HeatmapOptions<T>): Figure {
  if ((o.z === undefined) === (o.records === undefined)) {
    throw optionError(BUILDER, 'z', o.z, 'allowed: give either z (with rows and columns) or records (with row, column and value), exactly one');
  }
  const m = o.z !== undefined ? matrixFromZ(o) : matrixFromRecords(o);
  const title = checkTitle(BUILDER, 'title', o.title);
  // Named states carry no unit ("alert state"); a measured quantity does ("RTT (ms)").
  const colorTitle = o.categories !== undefined ? checkTitle(BUILDER, 'colorTitle', o.colorTitle) : checkAxisTitle(BUILDER, 'colorTitle', o.colorTitle);
  const xTitle = checkTitle(BUILDER, 'xTitle', o.xTitle === undefined ? (o.column === undefined ? 'column' : String(o.column)) : o.xTitle);
  const yTitle = checkTitle(BUILDER, 'yTitle', o.yTitle === undefined ? (o.row === undefined ? 'row' : String(o.row)) : o.yTitle);
  const seed = checkSeed(BUILDER, o.seed);
  const text = cellText(o, m);

  const trace: Record<string, unknown> = {
    type: 'heatmap',
    x: m.columns,
    y: m.rows,
    z: m.z,
    colorscale: o.colorscale === undefined ? 'Viridis' : o.colorscale,
    colorbar: { title: { text: colorTitle } },
    hoverongaps: false,
    hovertemplate: `${yTitle}: %{y}<br>${xTitle}: %{x}<br>${colorTitle}: %{z}<extra></extra>`,
  };
  if (text !== null) {
    trace.text = text;
    trace.texttemplate = '%{text}';
  }
  if (o.categories !== undefined) applyCategories(o, m, trace, { xTitle, yTitle, colorTitle });
  return {
    data: [trace],
    layout: baseLayout({
      title, xTitle, yTitle, seed,
      xaxis: { type: 'category', side: 'bottom' },
      // Rows read top to bottom in the order given, like a table.
      yaxis: { type: 'category', autorange: 'reversed' },
    }),
    seed,
  };
}
