import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { TestDesk } from '../support/desk.js';

/**
 * Issue 23 finding 8: the demo's today has something to practise on F2 at whatever hour it is built — visits done,
 * missed, and patients checked in and still waiting (some past R22's limit) — not only the times still ahead.
 */
const desks: TestDesk[] = [];
afterAll(async () => {
  for (const d of desks) {
    await d.desk.close();
    rmSync(d.dir, { recursive: true, force: true });
  }
});

describe('the demo clinic’s today (issue 23 finding 8)', () => {
  it('built at 14:10: today’s list has visits done, missed, waiting (some marked overdue) and still to come', async () => {
    const t = new TestDesk();
    desks.push(t);
    t.now = Date.parse('2026-11-23T08:10:00Z'); // Monday 14:10 in Bishkek
    await t.open();
    await t.signIn('registrar');
    const day = await t.call('appointments.day', {});
    const statuses = new Set(day.map((a) => a.status));
    expect([...statuses].sort()).toEqual(expect.arrayContaining(['arrived', 'booked', 'fulfilled', 'noshow']));
    expect(day.some((a) => a.status === 'arrived' && a.overdueWaitMinutes !== null)).toBe(true);
    expect(day.filter((a) => a.status === 'booked').every((a) => a.startUtc > t.now)).toBe(true);
  });
});
