import { z } from 'zod';

/** FHIR AppointmentStatus names (booked, arrived, fulfilled, noshow, cancelled, entered-in-error). */
export const appointmentStatus = z.enum(['booked', 'arrived', 'fulfilled', 'noshow', 'cancelled', 'entered-in-error']);
export type AppointmentStatus = z.infer<typeof appointmentStatus>;
/** Statuses that hold the slot. */
export const ACTIVE_STATUSES: readonly AppointmentStatus[] = ['booked', 'arrived', 'fulfilled'];
/** Statuses as an SQL list for the desk's and the server's statements: `status IN ${sqlList(…)}`. */
export const sqlList = (statuses: readonly AppointmentStatus[]): string => `(${statuses.map((s) => `'${s}'`).join(', ')})`;
/** The statuses that hold a slot, as an SQL list. */
export const ACTIVE_SQL = sqlList(ACTIVE_STATUSES);
/** Statuses of a booking still to be kept (not yet visited, not cancelled): what a doctor's absence or dismissal concerns. */
export const AHEAD_SQL = sqlList(['booked', 'arrived']);

/** Who a slot is reserved for (R7 internet quota, R13 priority windows, R21 doctor repeat visits). */
export const slotChannel = z.enum(['registry', 'internet', 'doctor', 'priority']);
export type SlotChannel = z.infer<typeof slotChannel>;

/** How a request reached the clinic (R21). "internet" and "kiosk" are the electronic channels of R9–R11. */
export const requestChannel = z.enum(['registry', 'phone', 'doctor', 'internet', 'kiosk', 'call_centre']);
export type RequestChannel = z.infer<typeof requestChannel>;
/** The remote channels 004 §3.4.1 names — portal (ЕПГУ), kiosk (инфомат), call centre (ЦТО): R9's cut-off, R10's block, R11's daily limit. */
export const ELECTRONIC_CHANNELS: readonly RequestChannel[] = ['internet', 'kiosk', 'call_centre'];

export const specialtyKind = z.enum(['family', 'narrow', 'preventive']);
export type SpecialtyKind = z.infer<typeof specialtyKind>;

export const role = z.enum(['registrar', 'head', 'doctor', 'admin', 'kiosk']);
export type Role = z.infer<typeof role>;
/** The roles of people: an administrator gives these. A kiosk's account is its PC's own, made at its enrollment (issue 21). */
export const staffRole = role.exclude(['kiosk']);
export type StaffRole = z.infer<typeof staffRole>;

export const sex = z.enum(['male', 'female']);
export type Sex = z.infer<typeof sex>;

/** R8's grounds (000 §1, 004 §3.4.3): a whole-day absence, hours away (absenteeism), or a day's hours changed. */
export const exceptionKind = z.enum(['vacation', 'sick', 'training', 'absenteeism', 'dismissal', 'changed_hours', 'internet_quota']);
export type ExceptionKind = z.infer<typeof exceptionKind>;

export const nationalIdKind = z.enum(['KG_PIN', 'KZ_IIN', 'RU_SNILS', 'RU_OMS']);
export type NationalIdKind = z.infer<typeof nationalIdKind>;

export const profileId = z.enum(['KG', 'KZ', 'RU-MO', 'RU-SM']);
export type ProfileId = z.infer<typeof profileId>;

export const lang = z.enum(['ru', 'ky', 'kk']);
export type Lang = z.infer<typeof lang>;
