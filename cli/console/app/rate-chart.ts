/** One reading of the send rate: seconds since the run started, apologies settled per second since the reading before. */
export interface RatePoint {
  readonly t: number;
  readonly rate: number;
}

const SVG = 'http://www.w3.org/2000/svg';
const W = 640;
const H = 240;
const PAD = { left: 48, right: 16, top: 16, bottom: 36 };

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Readonly<Record<string, string | number>>, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * Apologies per second against the allowed rate, as an SVG drawn by hand: one line, one limit
 * and two axes. A chart library (uPlot, Chart.js) draws on a canvas, which a screen reader
 * cannot read and which brings 40-200 KB for this one picture; an SVG carries its own title
 * and description, updated with each reading.
 *
 * @example
 * const chart = new RateChart(); container.append(chart.element); chart.draw(points, 14);
 */
export class RateChart {
  readonly element: SVGSVGElement;
  readonly #title: SVGTitleElement;
  readonly #desc: SVGDescElement;
  readonly #plot: SVGGElement;

  constructor() {
    this.element = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'rate-title rate-desc', class: 'chart' });
    this.#title = svg('title', { id: 'rate-title' }, 'Apologies sent per second');
    this.#desc = svg('desc', { id: 'rate-desc' }, 'No readings yet.');
    this.#plot = svg('g', {});
    this.element.append(this.#title, this.#desc, this.#plot);
  }

  /** Redraws with every reading so far and the rate the sender may not pass. */
  draw(points: readonly RatePoint[], allowedRate: number): void {
    const tMax = Math.max(10, ...points.map((p) => p.t));
    const yMax = Math.max(1, allowedRate * 1.25, ...points.map((p) => p.rate));
    const x = (t: number): number => PAD.left + (t / tMax) * (W - PAD.left - PAD.right);
    const y = (v: number): number => H - PAD.bottom - (v / yMax) * (H - PAD.top - PAD.bottom);
    const g = this.#plot;
    g.replaceChildren();
    g.append(svg('line', { x1: PAD.left, y1: y(0), x2: W - PAD.right, y2: y(0), class: 'axis' }));
    g.append(svg('line', { x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: y(0), class: 'axis' }));
    for (const v of ticks(yMax)) {
      g.append(svg('text', { x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, String(v)));
    }
    for (const t of ticks(tMax)) g.append(svg('text', { x: x(t), y: H - PAD.bottom + 16, 'text-anchor': 'middle', class: 'tick' }, `${t}s`));
    g.append(svg('text', { x: W / 2, y: H - 4, 'text-anchor': 'middle', class: 'tick' }, 'seconds since the run started'));
    g.append(svg('line', { x1: PAD.left, y1: y(allowedRate), x2: W - PAD.right, y2: y(allowedRate), class: 'limit' }));
    g.append(svg('text', { x: W - PAD.right, y: y(allowedRate) - 6, 'text-anchor': 'end', class: 'limit-label' }, `allowed ${allowedRate}/s`));
    if (points.length > 0) {
      g.append(svg('polyline', { points: points.map((p) => `${x(p.t).toFixed(1)},${y(p.rate).toFixed(1)}`).join(' '), class: 'rate' }));
      for (const p of points) g.append(svg('circle', { cx: x(p.t).toFixed(1), cy: y(p.rate).toFixed(1), r: 3, class: 'rate-point' }));
    }
    const last = points.at(-1);
    const peak = Math.max(0, ...points.map((p) => p.rate));
    this.#desc.textContent = last
      ? `${points.length} readings over ${last.t} s; now ${last.rate.toFixed(1)}/s, peak ${peak.toFixed(1)}/s, allowed ${allowedRate}/s.`
      : `No readings yet; allowed ${allowedRate}/s.`;
  }
}

/** About five round tick values from 0 to `max`. */
function ticks(max: number): number[] {
  const raw = max / 5;
  const step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000].find((s) => s >= raw) ?? Math.ceil(raw);
  const out: number[] = [];
  for (let v = 0; v <= max; v += step) out.push(v);
  return out;
}
