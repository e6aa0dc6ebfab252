/** Mermaid `xychart-beta` blocks, which GitHub renders in markdown (summaries, issues, files). */

export interface ChartSeries {
  /** Shown in the chart title: xychart-beta has no legend. */
  label: string;
  values: number[];
}

const MAX_POINTS = 60;

/** Keeps at most `max` points, taking the largest of each group: a spike must not vanish. */
export function downsample(values: number[], max = MAX_POINTS): number[] {
  if (values.length <= max) return values;
  const size = Math.ceil(values.length / max);
  const out: number[] = [];
  for (let i = 0; i < values.length; i += size) out.push(Math.max(...values.slice(i, i + size)));
  return out;
}

const quote = (text: string) => `"${text.replace(/"/g, "'")}"`;
const num = (n: number) => (Number.isFinite(n) ? Number(n.toFixed(1)) : 0);

/**
 * A line chart: x labels (as many as each series' values), one line per
 * series. Empty when there is nothing to draw.
 */
export function lineChart(title: string, xLabel: string, x: string[], series: ChartSeries[], yLabel = 'ms'): string {
  const points = Math.min(x.length, ...series.map((s) => s.values.length));
  if (points === 0 || series.length === 0) return '';
  const keep = (values: string[] | number[]) => values.slice(values.length - points);
  const xs = downsampleLabels(keep(x) as string[]);
  const lines = series.map((s) => downsample(keep(s.values) as number[]));
  const top = Math.max(1, ...lines.flat().map(num));
  const names = series.map((s) => s.label).join(', ');
  return [
    '```mermaid',
    'xychart-beta',
    `  title ${quote(`${title} (${names})`)}`,
    `  x-axis ${quote(xLabel)} [${xs.map(quote).join(', ')}]`,
    `  y-axis ${quote(yLabel)} 0 --> ${Math.ceil(top * 1.1)}`,
    ...lines.map((values) => `  line [${values.map(num).join(', ')}]`),
    '```',
    '',
  ].join('\n');
}

/** The labels matching `downsample`: the first label of each group. */
function downsampleLabels(labels: string[], max = MAX_POINTS): string[] {
  if (labels.length <= max) return labels;
  const size = Math.ceil(labels.length / max);
  return labels.filter((_, i) => i % size === 0);
}
