/** How far a first download is, as a fraction (null while the total is unknown). */
export const fractionDone = (done: number, total: number | null): number | null => (total && total > 0 ? Math.min(1, done / total) : null);

/** A one-line text progress bar for the console: `[#######.............]  35%  24 500 / 70 012 records`. */
export function progressLine(done: number, total: number | null, width = 30): string {
  const f = fractionDone(done, total);
  const n = (x: number) => x.toLocaleString('ru-RU');
  if (f === null) return `${n(done)} records`;
  const filled = Math.round(f * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(f * 100)).padStart(3)}%  ${n(done)} / ${n(total!)} records`;
}
