import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger as defaultLogger, metrics as defaultMetrics } from './observability';

/**
 * What became of one piece of work, as data: for each outcome, the metrics it counts and the
 * log lines it writes. A function declares its table once (`<function>/outcomes.ts`) and
 * reports every result through it; no switch from result to metric and log line.
 * Log only ids, counts and reasons: never an address or a name.
 *
 * @example
 * const report = outcomeReport((r: Result) => r.kind, {
 *   SENT: { count: [NotifyMetric.SENT], log: { level: 'info', message: 'purchase notice sent', fields: ['eventId', 'sesMessageId'] } },
 *   DUPLICATE: { count: [NotifyMetric.DUPLICATE] },
 * });
 * report(result, { messageId: record.messageId });
 */

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** A metric an outcome counts: a bare name counts 1. */
export type Count<R> =
  | string
  | {
      readonly metric: string;
      /** How much; `undefined` counts nothing (the metric is left out). @default 1 */
      readonly value?: (result: R) => number | undefined;
      /** @default MetricUnit.Count */
      readonly unit?: Unit;
      /** Counted as a single metric with this dimension, its value read from the result. */
      readonly by?: readonly [dimension: string, value: (result: R) => string];
      /** Counted as one single metric per entry: the dimension's value → the count. */
      readonly each?: readonly [dimension: string, counts: (result: R) => Readonly<Record<string, number>>];
    };

/** A log line an outcome writes. */
export interface Line<R> {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  /**
   * What the line shows after the caller's ids: the result's own fields by name, or what a
   * function of the result returns.
   */
  readonly fields?: readonly string[] | ((result: R) => Readonly<Record<string, unknown>>);
  /** Written only when this holds. @default always */
  readonly when?: (result: R) => boolean;
}

/** The metrics and log lines of one outcome. */
export interface Outcome<R> {
  readonly count?: readonly Count<R>[];
  readonly log?: Line<R> | readonly Line<R>[];
}

/** The calls a report makes (Powertools' Logger and Metrics fit). */
export interface ReportSinks {
  readonly logger: Pick<typeof defaultLogger, 'info' | 'warn' | 'error'>;
  readonly metrics: Pick<typeof defaultMetrics, 'addMetric' | 'singleMetric'>;
}

/**
 * The report of one function: `keyOf` names a result's outcome, `table` says what each one
 * counts and logs. The returned function takes a result and the ids every line starts with.
 */
export function outcomeReport<R, K extends string>(
  keyOf: (result: R) => K,
  table: { readonly [k in K]: Outcome<R> },
  sinks: ReportSinks = { logger: defaultLogger, metrics: defaultMetrics },
): (result: R, ids?: Readonly<Record<string, unknown>>) => void {
  return (result, ids = {}) => {
    const outcome = table[keyOf(result)];
    for (const count of outcome.count ?? []) addCount(count, result, sinks.metrics);
    const lines = outcome.log === undefined ? [] : 'level' in outcome.log ? [outcome.log as Line<R>] : (outcome.log as readonly Line<R>[]);
    for (const line of lines) {
      if (line.when && !line.when(result)) continue;
      sinks.logger[line.level](line.message, { ...ids, ...fieldsOf(line, result) });
    }
  };
}

function addCount<R>(count: Count<R>, result: R, metrics: ReportSinks['metrics']): void {
  if (typeof count === 'string') {
    metrics.addMetric(count, MetricUnit.Count, 1);
    return;
  }
  const unit = count.unit ?? MetricUnit.Count;
  if (count.each) {
    const [dimension, countsOf] = count.each;
    for (const [value, n] of Object.entries(countsOf(result))) {
      const single = metrics.singleMetric();
      single.addDimension(dimension, value);
      single.addMetric(count.metric, unit, n);
    }
    return;
  }
  const value = count.value ? count.value(result) : 1;
  if (value === undefined) return;
  if (count.by) {
    const single = metrics.singleMetric();
    single.addDimension(count.by[0], count.by[1](result));
    single.addMetric(count.metric, unit, value);
    return;
  }
  metrics.addMetric(count.metric, unit, value);
}

function fieldsOf<R>(line: Line<R>, result: R): Readonly<Record<string, unknown>> {
  if (line.fields === undefined) return {};
  if (typeof line.fields === 'function') return line.fields(result);
  const source = result as Readonly<Record<string, unknown>>;
  return Object.fromEntries(line.fields.map((name) => [name, source[name]]));
}

/** A count only when positive (`value` for counts left out when nothing happened). */
export const whenPositive =
  <R>(of: (result: R) => number) =>
  (result: R): number | undefined => {
    const n = of(result);
    return n > 0 ? n : undefined;
  };
