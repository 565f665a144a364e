import { describe, expect, it } from 'vitest';
import { clinicsADay } from '../../sync-server/console/views.js';
import { clinicOpensOn, osAtLeast, stagedOrder, visibleRelease } from '../../sync-server/updates/rollout.js';

const release = (version: string, rollout: Record<string, { opensOn: string; clinicsPerDay: number | null }>, extra: { paused?: boolean; minOs?: string | null } = {}) => ({
  version,
  rollout,
  paused: extra.paused ?? false,
  minOs: extra.minOs ?? null,
});
const viewer = (orgId: string, today: string, os: string | null = '10.0.19045') => ({ orgId, regionId: 'kg-naryn', today, regionClinics: ['org-a', 'org-b', 'org-c', 'org-d', 'org-e'], os });

describe('rollout by region (R23, 000 App. 4: e.g. Naryn 23–28 Sep)', () => {
  it('staged by clinic inside a region: so many clinics a day, in the region’s order', () => {
    const w = { opensOn: '2026-09-23', clinicsPerDay: 2 };
    expect(['org-a', 'org-b', 'org-c', 'org-d', 'org-e'].map((o) => clinicOpensOn(w, o, viewer(o, '').regionClinics))).toEqual(['2026-09-23', '2026-09-23', '2026-09-24', '2026-09-24', '2026-09-25']);
    expect(clinicOpensOn({ opensOn: '2026-09-23', clinicsPerDay: null }, 'org-e', viewer('org-e', '').regionClinics)).toBe('2026-09-23');
  });

  it('a desk sees the highest release open for its clinic; a region without a window sees none of it', () => {
    const rs = [release('1.1.0', { 'kg-naryn': { opensOn: '2026-09-01', clinicsPerDay: null } }), release('1.2.0', { 'kg-naryn': { opensOn: '2026-09-23', clinicsPerDay: 2 } })];
    expect(visibleRelease(rs, viewer('org-c', '2026-09-23'))?.version).toBe('1.1.0');
    expect(visibleRelease(rs, viewer('org-c', '2026-09-24'))?.version).toBe('1.2.0');
    expect(visibleRelease(rs, { ...viewer('org-c', '2026-09-24'), regionId: 'kg-batken' })).toBeNull();
  });

  it('a paused release is skipped; a rollback is a higher version; an OS below the minimum sees nothing newer', () => {
    const open = { 'kg-naryn': { opensOn: '2026-09-01', clinicsPerDay: null } };
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
