import { z } from 'zod';

export const id = z.string().min(1).max(80);
/** Clinic-local calendar date. */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
/** Clinic-local wall-clock time. */
export const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
/** Instants are UTC epoch milliseconds everywhere. */
export const instant = z.number().int().nonnegative();
