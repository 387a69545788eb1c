// Order statistics the benchmarks report (median and p95 of a run's samples).
const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);

export const median = (xs: readonly number[]): number => sorted(xs)[Math.floor(xs.length / 2)] ?? NaN;

export const p95 = (xs: readonly number[]): number => sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] ?? NaN;
