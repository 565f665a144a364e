import { describe, expect, it } from 'vitest';
import { Lane } from '../../sync-server/api/lane.js';

/** The booking API's searches take turns (issue 20: in the rush, holds and bookings no longer wait behind them). */
describe('a lane of at most N tasks at once', () => {
  it('runs N at once, starts the others in arrival order as places free, and frees a place when a task fails', async () => {
    const lane = new Lane(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, () => {
      let open!: () => void;
      const p = new Promise<void>((r) => {
        open = r;
      });
      return { p, open };
    });
    const tasks = gates.map((g, i) =>
      lane
        .run(async () => {
          started.push(i);
          running++;
          most = Math.max(most, running);
          await g.p;
          running--;
          if (i === 1) throw new Error('a search that failed');
          return i;
        })
        .catch((e: Error) => e.message),
    );
    await expect.poll(() => started).toEqual([0, 1]);
    gates[1]!.open(); // fails: its place goes to the next in line
    await expect.poll(() => started).toEqual([0, 1, 2]);
    gates[0]!.open();
    await expect.poll(() => started).toEqual([0, 1, 2, 3]);
    for (const g of gates) g.open();
    expect(await Promise.all(tasks)).toEqual([0, 'a search that failed', 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
    // Idle again: a new task starts at once.
    expect(await lane.run(async () => 'now')).toBe('now');
  });
});
