import { z } from 'zod';

/**
 * How a call to a patient on the call list ended. `rebooked`: agreed to another time (the booking
 * moved); `declined`: wants none (the booking is cancelled); `reached`: told, nothing to change;
 * `unreachable`: no answer — the task stays open to be tried again.
 */
export const callOutcome = z.enum(['reached', 'unreachable', 'rebooked', 'declined']);
export type CallOutcome = z.infer<typeof callOutcome>;

/** The task's status after an outcome: one state machine for desk and server. */
export const taskStatusAfter = (outcome: CallOutcome): string => (outcome === 'unreachable' ? 'open' : outcome);
