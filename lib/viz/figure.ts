/**
 * A plotly figure as plain data: what every builder in lib/viz returns and what
 * `show()` displays. Keeping it plain JSON means a figure can be tested, saved and
 * rendered by any front end without plotly being loaded in the kernel.
 */
export interface Figure {
  /** plotly traces, e.g. `{ type: 'scatter', x: [...], y: [...], name: 'delhi' }` */
  data: Array<Record<string, unknown>>;
  /** plotly layout; builders always set a title and axis titles with units. */
  layout: Record<string, unknown>;
  /** The seed of the simulation the figure shows, noted on the figure; null when none. */
  seed: number | null;
}
