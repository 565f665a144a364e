import { z } from 'zod';
import { type Decision, refuse } from './decision.js';

/**
 * How a call to a patient on the call list ended. `rebooked`: agreed to another time (the booking
 * moved); `declined`: wants none (the booking is cancelled); `reached`: told, nothing to change;
 * `unreachable`: no answer — the task stays open to be tried again.
 */
export const callOutcome = z.enum(['reached', 'unreachable', 'rebooked', 'declined']);
export type CallOutcome = z.infer<typeof callOutcome>;

/** The task's status after an outcome: one state machine for desk and server. */
export const taskStatusAfter = (outcome: CallOutcome): string => (outcome === 'unreachable' ? 'open' : outcome);

/**
 * Which task may take which outcome — one rule for desk and server (issue 19 finding 2). Only a
 * call-the-patient task takes a call's outcome (a quarantined op's task is not a call). An open one
 * takes any; one where the patient was reached may still end rebooked or declined when they call
 * back; one that ended (rebooked, declined) takes none: its booking was moved or cancelled with it.
 */
export function decideCallOutcome(task: { kind: string; status: string }, outcome: CallOutcome): Decision {
  // A kiosk's call for the registrar (issue 21) ends when someone went over: "reached", once.
  if (task.kind === 'kiosk_help') return task.status === 'open' && outcome === 'reached' ? { ok: true } : refuse('bad_status', { status: task.status });
  if (task.kind !== 'call_patient') return refuse('bad_status', { status: task.kind });
  if (task.status === 'open') return { ok: true };
  if (task.status === 'reached' && outcome !== 'unreachable') return { ok: true };
  return refuse('bad_status', { status: task.status });
}
