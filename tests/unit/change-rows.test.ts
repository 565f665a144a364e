import { describe, expect, it } from 'vitest';
import { checkChange } from '../../src-shared/sync/change-rows.js';

const appointment = {
  id: 'a1',
  orgId: 'o',
  patientId: 'p',
  slotId: 'd@2026-11-24T08:00',
  doctorId: 'd',
  specialtyId: 'family',
  date: '2026-11-24',
  time: '08:00',
  startUtc: 1,
  status: 'booked',
  channel: 'registry',
  referralId: null,
  replacesId: null,
  ticketCode: 'ABC000001',
  queueNumber: 1,
  liveQueue: false,
  createdAt: 0,
  createdBy: 'u',
  deviceId: 'dev',
  syncState: 'confirmed',
};

describe('pulled rows are checked per entity before the desk applies them (issue 9: code health)', () => {
  it('a known entity with a well-formed row is typed; a malformed row and an unknown entity are left alone', () => {
    expect(checkChange({ seq: 1, entity: 'appointment', id: 'a1', op: 'put', row: appointment })).toMatchObject({ entity: 'appointment', row: { id: 'a1', syncState: 'confirmed' } });
    expect(checkChange({ seq: 2, entity: 'appointment', id: 'a1', op: 'put', row: { ...appointment, status: 'teleported' } })).toBeNull();
    expect(checkChange({ seq: 3, entity: 'appointment', id: 'a1', op: 'put', row: { ...appointment, startUtc: '1' } })).toBeNull();
    expect(checkChange({ seq: 4, entity: 'hologram', id: 'x', op: 'put', row: {} })).toBeNull();
    expect(checkChange({ seq: 5, entity: 'lease', id: 's', op: 'remove', row: null })).toEqual({ seq: 5, entity: 'lease', id: 's', op: 'remove', row: null });
  });
});
