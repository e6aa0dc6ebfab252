import { InputError } from '@gantry/action-kit';
import { formatMs, formatPercent } from './format';
import type { CheckReport, ProbeReport, SloObjective, SloResult } from './types';

const METRICS: ReadonlyArray<SloObjective['metric']> = ['availability', 'p50', 'p90', 'p95', 'p99', 'max', 'mean'];
const OBJECTIVE = /^([A-Za-z0-9]+)\s*(>=|<=|>|<)\s*(\S+)$/;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };
const EXAMPLE = 'availability >= 99.5%, p95 <= 300ms, p99 <= 1s';

/**
 * Parses `availability >= 99.5%, p95 <= 300ms, p99 <= 1s` (comma- or
 * newline-separated). Availability takes >= or > and a percentage; the
 * latencies (p50, p90, p95, p99, max, mean) take <= or < and a duration.
 * Throws InputError naming `inputName` and the objective it could not read.
 */
export function parseSlo(text: string, inputName = 'slo'): SloObjective[] {
  const items = text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new InputError(inputName, text, `at least one objective, such as ${EXAMPLE}`);
  const objectives: SloObjective[] = [];
  for (const item of items) {
    const m = OBJECTIVE.exec(item);
    const metric = m?.[1]!.toLowerCase() as SloObjective['metric'] | undefined;
    if (!m || !metric || !METRICS.includes(metric)) {
      throw new InputError(inputName, item, `objectives such as ${EXAMPLE}, on ${METRICS.slice(0, -1).join(', ')} or mean`);
    }
    const op = m[2] as SloObjective['op'];
    const value = m[3]!;
    let target: number;
    if (metric === 'availability') {
      const pct = /^(\d+(?:\.\d+)?)%$/.exec(value);
      target = pct ? Number(pct[1]) / 100 : NaN;
      if ((op !== '>=' && op !== '>') || !(target >= 0 && target <= 1)) {
        throw new InputError(inputName, item, 'availability >= or > a percentage from 0% to 100%, such as availability >= 99.5%');
      }
    } else {
      const d = DURATION.exec(value);
      target = d ? Number(d[1]) * UNIT_MS[d[2]!]! : NaN;
      if ((op !== '<=' && op !== '<') || !(target > 0)) {
        throw new InputError(inputName, item, `${metric} <= or < a duration, such as ${metric} <= 300ms`);
      }
    }
    if (objectives.some((o) => o.metric === metric)) throw new InputError(inputName, item, `each metric once (${metric} is given twice)`);
    objectives.push({ metric, op, target, text: item });
  }
  return objectives;
}

/**
 * Each objective against a check's report or the overall figures, with its
 * margin as text ("p95 412ms is 112ms over 300ms"). Passes when all pass.
 */
export function evaluateSlo(objectives: SloObjective[], report: CheckReport | ProbeReport['overall']): SloResult {
  const results = objectives.map((objective) => {
    const actual = objective.metric === 'availability' ? report.availability : report.latency[objective.metric];
    const pass = compare(actual, objective.op, objective.target);
    return { ...objective, actual, pass, margin: margin(objective, actual) };
  });
  return { pass: results.every((r) => r.pass), objectives: results };
}

function compare(actual: number, op: SloObjective['op'], target: number): boolean {
  if (op === '>=') return actual >= target;
  if (op === '>') return actual > target;
  if (op === '<=') return actual <= target;
  return actual < target;
}

function margin(objective: SloObjective, actual: number): string {
  const { metric, target } = objective;
  const format = metric === 'availability' ? formatPercent : formatMs;
  if (actual === target) return `${metric} ${format(actual)} is exactly ${format(target)}`;
  const side = actual > target ? 'over' : 'under';
  const diff =
    metric === 'availability'
      ? `${formatPercent(Math.abs(actual - target)).slice(0, -1)} points`
      : formatMs(Math.abs(actual - target));
  return `${metric} ${format(actual)} is ${diff} ${side} ${format(target)}`;
}
