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
  /** Colour-bar title with unit, e.g. "RTT (ms)". */
  colorTitle: string;
  /** Column axis title, e.g. "to region"; default the column field, or "column". */
  xTitle?: string;
  /** Row axis title, e.g. "from region"; default the row field, or "row". */
  yTitle?: string;
  seed: number | null;
  /** Cell text: true (default) prints each value, false none, or a matrix of strings like z. */
  text?: boolean | ReadonlyArray<ReadonlyArray<string>>;
  /** A plotly colour scale name; default 'Viridis'. */
  colorscale?: string;
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

export function heatmapFigure<T extends object>(o: HeatmapOptions<T>): Figure {
  if ((o.z === undefined) === (o.records === undefined)) {
    throw optionError(BUILDER, 'z', o.z, 'allowed: give either z (with rows and columns) or records (with row, column and value), exactly one');
  }
  const m = o.z !== undefined ? matrixFromZ(o) : matrixFromRecords(o);
  const title = checkTitle(BUILDER, 'title', o.title);
  const colorTitle = checkAxisTitle(BUILDER, 'colorTitle', o.colorTitle);
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
