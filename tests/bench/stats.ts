/**
 * One benchmark figure. p50_ms / p99_ms are always measured times of single operations (never derived
 * from a rate); throughput entries add ops_per_s (the median round) and, beside a baseline, the ratio.
 */
export interface BenchResult {
  name: string;
  p50_ms: number;
  p99_ms: number;
  /** Where an issue names its target at the 95th percentile (hall_call_to_screen). */
  p95_ms?: number;
  n: number;
  ops_per_s?: number;
  /** The longest time the process was held at once while this ran (event-loop delay): what a window waiting on it would feel. */
  longest_block_ms?: number;
  ratio_to_baseline?: number;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function summarize(name: string, samples: number[]): BenchResult {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { name, p50_ms: round(at(0.5)), p99_ms: round(at(0.99)), n: s.length };
}

/** Time `fn` n times (after `warmup` untimed runs); milliseconds per call. */
export async function measure(n: number, fn: (i: number) => unknown, warmup = 20): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}
