import { describe, expect, it } from 'vitest';
import { clinicsADay } from '../../sync-server/console/views.js';
import { clinicOpensOn, devicePlace, osAtLeast, type RegionWindow, regionWindow, rolloutPlan, stagedOrder, visibleRelease } from '../../sync-server/updates/rollout.js';

/** Windows as they are stored, through the schema (so a window written before its newer fields reads with their defaults). */
const release = (version: string, rollout: Record<string, Partial<RegionWindow> & { opensOn: string }>, extra: { paused?: boolean; minOs?: string | null } = {}) => ({
  version,
  rollout: rolloutPlan.parse(rollout),
  paused: extra.paused ?? false,
  minOs: extra.minOs ?? null,
});
const viewer = (orgId: string, today: string, os: string | null = '10.0.19045', appVersion: string | null = null, deviceId = `${orgId}-desk`) => ({
  orgId,
  regionId: 'kg-naryn',
  today,
  regionClinics: ['org-a', 'org-b', 'org-c', 'org-d', 'org-e'],
  os,
  deviceId,
  appVersion,
});
const win = (w: Partial<RegionWindow> & { opensOn: string }) => regionWindow.parse(w);

describe('rollout by region (R23, 000 App. 4: e.g. Naryn 23–28 Sep)', () => {
  it('staged by clinic inside a region: so many clinics a day, in the region’s order', () => {
    const w = win({ opensOn: '2026-09-23', clinicsPerDay: 2 });
    expect(['org-a', 'org-b', 'org-c', 'org-d', 'org-e'].map((o) => clinicOpensOn(w, o, viewer(o, '').regionClinics))).toEqual(['2026-09-23', '2026-09-23', '2026-09-24', '2026-09-24', '2026-09-25']);
    expect(clinicOpensOn(win({ opensOn: '2026-09-23' }), 'org-e', viewer('org-e', '').regionClinics)).toBe('2026-09-23');
  });

  it('issue 24 finding 5: a window with a closing day spreads the clinics evenly, the last one joining on that day at the latest', () => {
    const w = win({ opensOn: '2026-09-23', closesOn: '2026-09-28' });
    expect(['org-a', 'org-b', 'org-c', 'org-d', 'org-e'].map((o) => clinicOpensOn(w, o, viewer(o, '').regionClinics))).toEqual(['2026-09-23', '2026-09-24', '2026-09-25', '2026-09-26', '2026-09-27']);
    const tight = win({ opensOn: '2026-09-23', closesOn: '2026-09-24' });
    expect(['org-a', 'org-e'].map((o) => clinicOpensOn(tight, o, viewer(o, '').regionClinics))).toEqual(['2026-09-23', '2026-09-24']);
  });

  it('issue 24 finding 5: a share of PCs takes the same PCs each time, about that share of them', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `desk-${i}`);
    const taking = ids.filter((id) => visibleRelease([release('1.3.0', { 'kg-naryn': { opensOn: '2026-09-01', sharePercent: 10 } })], viewer('org-a', '2026-09-30', null, '1.2.0', id)) !== null);
    expect(taking.length).toBeGreaterThan(150);
    expect(taking.length).toBeLessThan(250);
    expect(taking.every((id) => devicePlace(id) < 10)).toBe(true);
  });

  it('issue 24 finding 5: a pause stops a release reaching more PCs and takes it from none; a rollback offers the PCs that have it the release before', () => {
    const rs = (state: RegionWindow['state']) => [release('1.2.0', { 'kg-naryn': { opensOn: '2026-09-01' } }), release('1.3.0', { 'kg-naryn': { opensOn: '2026-09-01', state } })];
    // Open: everyone is offered 1.3.0.
    expect(visibleRelease(rs('open'), viewer('org-a', '2026-09-30', null, '1.2.0'))?.version).toBe('1.3.0');
    // Paused: a PC still on 1.2.0 stays there; a PC on 1.3.0 is offered its own version (nothing to install).
    expect(visibleRelease(rs('paused'), viewer('org-a', '2026-09-30', null, '1.2.0'))?.version).toBe('1.2.0');
    expect(visibleRelease(rs('paused'), viewer('org-a', '2026-09-30', null, '1.3.0'))?.version).toBe('1.3.0');
    // Rolled back: the PC on 1.3.0 is offered 1.2.0 — a downgrade the desk accepts because the server chose it.
    expect(visibleRelease(rs('rolled_back'), viewer('org-a', '2026-09-30', null, '1.3.0'))?.version).toBe('1.2.0');
    // Only in that region: another region's window for 1.3.0 stays open.
    const two = [
      release('1.2.0', { 'kg-naryn': { opensOn: '2026-09-01' }, 'kg-osh': { opensOn: '2026-09-01' } }),
      release('1.3.0', { 'kg-naryn': { opensOn: '2026-09-01', state: 'rolled_back' }, 'kg-osh': { opensOn: '2026-09-01' } }),
    ];
    expect(visibleRelease(two, { ...viewer('org-a', '2026-09-30', null, '1.3.0'), regionId: 'kg-osh' })?.version).toBe('1.3.0');
    // A hand-installed build the server never published is offered nothing older.
    expect(visibleRelease(rs('open'), viewer('org-a', '2026-09-30', null, '9.9.9'))).toBeNull();
  });

  it('a desk sees the highest release open for its clinic; a region without a window sees none of it', () => {
    const rs = [release('1.1.0', { 'kg-naryn': { opensOn: '2026-09-01' } }), release('1.2.0', { 'kg-naryn': { opensOn: '2026-09-23', clinicsPerDay: 2 } })];
    expect(visibleRelease(rs, viewer('org-c', '2026-09-23'))?.version).toBe('1.1.0');
    expect(visibleRelease(rs, viewer('org-c', '2026-09-24'))?.version).toBe('1.2.0');
    expect(visibleRelease(rs, { ...viewer('org-c', '2026-09-24'), regionId: 'kg-batken' })).toBeNull();
  });

  it('a paused release is skipped; a rollback is a higher version; an OS below the minimum sees nothing newer', () => {
    const open = { 'kg-naryn': { opensOn: '2026-09-01' } };
    expect(visibleRelease([release('1.1.0', open), release('1.2.0', open, { paused: true })], viewer('org-a', '2026-09-30'))?.version).toBe('1.1.0');
    expect(visibleRelease([release('1.2.0', open), release('1.2.1', open)], viewer('org-a', '2026-09-30'))?.version).toBe('1.2.1');
    const needs10 = [release('1.1.0', open), release('2.0.0', open, { minOs: '10.0' })];
    expect(visibleRelease(needs10, viewer('org-a', '2026-09-30', '6.1.7601'))?.version).toBe('1.1.0');
    expect(visibleRelease(needs10, viewer('org-a', '2026-09-30', '10.0.19045'))?.version).toBe('2.0.0');
    expect(osAtLeast('10.0', '10.0')).toBe(true);
    expect(osAtLeast('6.3.9600', '10.0')).toBe(false);
  });

  it('issue 24 finding 4: the staged order is the order clinics came to the server, then ids by code unit — never a collation', () => {
    expect(
      stagedOrder([
        { id: 'chui-2', rolloutOrder: 2 },
        { id: 'chui-0', rolloutOrder: 3 },
        { id: 'chui-1', rolloutOrder: 1 },
      ]),
    ).toEqual(['chui-1', 'chui-2', 'chui-0']);
    // Ties (never from the server's sequence; but any input): by code unit, so upper case before lower, 'Z' before 'a'.
    expect(
      stagedOrder([
        { id: 'b', rolloutOrder: 1 },
        { id: 'a', rolloutOrder: 1 },
        { id: 'Z', rolloutOrder: 1 },
      ]),
    ).toEqual(['Z', 'a', 'b']);
  });

  it('issue 23 finding 11: the console counts clinics a day in proper Russian', () => {
    expect([1, 2, 4, 5, 11, 12, 21, 22, 25, 111].map(clinicsADay)).toEqual([
      '1 клиника в день',
      '2 клиники в день',
      '4 клиники в день',
      '5 клиник в день',
      '11 клиник в день',
      '12 клиник в день',
      '21 клиника в день',
      '22 клиники в день',
      '25 клиник в день',
      '111 клиник в день',
    ]);
  });
});
