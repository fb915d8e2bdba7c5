/**
 * Small numeric helpers shared by the decision engines. They work on ratios and
 * counts only; money stays in `Money` (integer paisa) and is never averaged here.
 */

/** Clamp to [0, 1]; NaN becomes 0 so that a bad ratio can never inflate a score. */
export function clamp01(value: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.min(1, Math.max(0, value));
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Arithmetic mean, or null for an empty list. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Median (mean of the two middle values for an even count), or null for an empty list. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid] ?? null;
  return ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Σ wᵢ·xᵢ / Σ wᵢ, or null when the weights sum to zero. */
export function weightedMean(items: readonly { readonly value: number; readonly weight: number }[]): number | null {
  let num = 0;
  let den = 0;
  for (const i of items) {
    num += i.value * i.weight;
    den += i.weight;
  }
  return den > 0 ? num / den : null;
}

/** Population standard deviation, or null for an empty list. */
export function stdDev(values: readonly number[]): number | null {
  const m = mean(values);
  if (m === null) return null;
  return Math.sqrt(values.reduce((acc, v) => acc + (v - m) ** 2, 0) / values.length);
}

/** Least-squares slope of y over x (x = 0, 1, 2… when omitted); 0 for fewer than two points. */
export function linearSlope(ys: readonly number[], xs?: readonly number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const x = xs ?? ys.map((_, i) => i);
  const mx = (mean(x) ?? 0) as number;
  const my = (mean(ys) ?? 0) as number;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] ?? 0) - mx;
    num += dx * ((ys[i] ?? 0) - my);
    den += dx * dx;
  }
  return den === 0 ? 0 : num / den;
}

/** Round to `digits` decimals for stored explanations (keeps JSON readable and stable). */
export function roundTo(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Deterministic string order (code-unit order, independent of the runtime's locale). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Scores closer than this are a tie, broken by id, so float noise never decides a ranking. */
export const SCORE_EPSILON = 1e-9;

/** Descending by score, ties (within SCORE_EPSILON) by id ascending. */
export function byScoreDescThenId<T>(score: (t: T) => number, id: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const d = score(b) - score(a);
    if (Math.abs(d) > SCORE_EPSILON) return d;
    return compareStrings(id(a), id(b));
  };
}
