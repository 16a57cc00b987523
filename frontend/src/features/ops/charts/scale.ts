// The arithmetic of the hand-written SVG charts, apart from the drawing so it is tested alone.

/** A point of a chart series as the server sends it: `{label, value, color?, value2?}`. */
export interface SeriesPoint {
  label: string;
  value: number | null;
  color?: string | null;
  value2?: number | null;
}

/**
 * A "nice" top for an axis over `values` (1, 2, 2.5 or 5 × a power of ten, at least the largest
 * value), so the bars leave a little room and the axis label is a round number. `1` when there
 * is nothing above zero, so an empty series does not divide by zero.
 */
export function niceMax(values: readonly (number | null | undefined)[]): number {
  const max = Math.max(0, ...values.map((v) => (typeof v === "number" && Number.isFinite(v) ? v : 0)));
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= max) ?? 10;
  return step * power;
}

/** The length of `value` on an axis of `length` that goes from 0 to `max`, clamped to it. */
export function scale(value: number | null | undefined, max: number, length: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || max <= 0) return 0;
  return Math.min(length, Math.max(0, (value / max) * length));
}

/** A percentage clamped to 0–100; `null` for a missing one. */
export function clampPercent(value: number | null | undefined): number | null {
  if (typeof value !== "number" || !Number.isFinite(value)) return null;
  return Math.min(100, Math.max(0, value));
}

/** The point at `angle` (radians, 0 = 12 o'clock, clockwise) on the circle of radius `r` about (`cx`, `cy`). */
export function polar(cx: number, cy: number, r: number, angle: number): [number, number] {
  return [round(cx + r * Math.sin(angle)), round(cy - r * Math.cos(angle))];
}

/** An SVG path of the arc from angle `start` to `end` (clockwise, radians as in `polar`). */
export function arcPath(cx: number, cy: number, r: number, start: number, end: number): string {
  // A full turn drawn as one arc has the same start and end point, and draws nothing.
  const sweep = Math.min(end - start, Math.PI * 2 - 1e-4);
  const [x1, y1] = polar(cx, cy, r, start);
  const [x2, y2] = polar(cx, cy, r, start + sweep);
  const large = sweep > Math.PI ? 1 : 0;
  return `M ${x1} ${y1} A ${r} ${r} 0 ${large} 1 ${x2} ${y2}`;
}

/** A share of a mix: where its arc starts and ends (radians) and its percentage of the whole. */
export interface Slice {
  index: number;
  start: number;
  end: number;
  percent: number;
}

/** The slices of a donut over `values` (missing and negative values count as 0); none when the total is 0. */
export function slices(values: readonly (number | null | undefined)[]): Slice[] {
  const clean = values.map((v) => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0));
  const total = clean.reduce((a, b) => a + b, 0);
  if (total === 0) return [];
  let at = 0;
  return clean.flatMap((value, index) => {
    if (value === 0) return [];
    const start = at;
    at += (value / total) * Math.PI * 2;
    return [{ index, start, end: at, percent: (value / total) * 100 }];
  });
}

/**
 * The points of a sparkline over `values` in a `width` × `height` box (top = the largest value),
 * as SVG `points` runs: a missing value breaks the line, so each run is drawn on its own.
 */
export function sparkRuns(values: readonly (number | null | undefined)[], width: number, height: number, pad = 2): string[] {
  const present = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  if (present.length === 0) return [];
  const min = Math.min(...present);
  const max = Math.max(...present);
  const span = max - min || 1;
  const stepX = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const runs: string[][] = [[]];
  values.forEach((value, i) => {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      if ((runs[runs.length - 1] ?? []).length > 0) runs.push([]);
      return;
    }
    // A flat series sits in the middle rather than on the floor.
    const y = max === min ? height / 2 : pad + (1 - (value - min) / span) * (height - 2 * pad);
    runs[runs.length - 1]?.push(`${round(pad + i * stepX)},${round(y)}`);
  });
  return runs.filter((run) => run.length > 0).map((run) => run.join(" "));
}

const round = (n: number) => Math.round(n * 100) / 100;
