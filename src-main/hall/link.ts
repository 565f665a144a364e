import { randomUUID } from 'node:crypto';
import type { HallAction, HallAnswer, HallHelp, HallRequest } from '../../src-shared/hall/calls.js';
import { hallAnswer } from '../../src-shared/hall/calls.js';
import { signHallRequest } from '../../src-shared/node/op-keys.js';
import { AppError } from '../../src-shared/rpc/errors.js';
import { stmt } from '../db/stmt.js';
import { getAppointment } from '../services/appointment-views.js';
import { clinicToday } from '../services/clinic-time.js';
import type { Actor, Env } from '../services/env.js';
import type { Hall } from './hall.js';

const ATTEMPTS = 2;
const TIMEOUT_MS = 3000;

/** Where this desk's hall is: `--hall-desk URL` (kept), else this desk runs the screen itself. */
export const hallUrlOf = (env: Env): string | null => (stmt(env.db.sqlite, "SELECT value FROM meta WHERE key = 'hall_url'").get() as { value: string } | undefined)?.value ?? null;

/**
 * A person's call from this desk (issue 21 part 2): signed with their key and carried out by the desk that runs the
 * hall's screen — this one, or the registry's over the LAN, which needs neither the internet nor the sync server.
 */
export class HallLink {
  constructor(
    private readonly env: Env,
    private readonly hall: Hall,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async ask(actor: Actor, input: { action: HallAction; doctorId?: string | undefined; appointmentId?: string | undefined }): Promise<HallAnswer> {
    const { env } = this;
    const booking = input.appointmentId ? getAppointment(env, input.appointmentId) : undefined;
    if (input.appointmentId && !booking) throw new AppError('not_found');
    if ((input.action === 'next') !== !input.appointmentId) throw new AppError('bad_input');
    const doctorId = booking?.doctorId ?? (actor.role === 'doctor' ? actor.doctorId : input.doctorId);
    if (!doctorId) throw new AppError('bad_input');
    if (actor.role === 'doctor' && doctorId !== actor.doctorId) throw new AppError('forbidden');
    const request: HallRequest = {
      id: randomUUID(),
      orgId: env.org.id,
      deviceId: env.device.id,
      action: input.action,
      doctorId,
      appointmentId: booking?.id ?? null,
      queueNumber: booking?.queueNumber ?? null,
      cabinet: booking?.cabinet || null,
      liveQueue: booking?.liveQueue ?? false,
      at: env.clock(),
      userId: actor.userId,
    };
    const signed = { request, signature: signHallRequest(actor.key, request) };
    const url = hallUrlOf(env);
    if (!url) return this.hall.answer(signed);
    const answer = await this.post(url, signed);
    // This desk's lists show who was called too.
    if (answer.call) this.hall.record(answer.call, clinicToday(env).today, request.id, actor.userId);
    return answer;
  }

  /**
   * A kiosk's call for the registrar, told to the registry's desk over the LAN (its task appears there at once; the
   * server's copy of the same task follows the op). False when no desk runs the hall's screen or it did not answer.
   */
  async help(actor: Actor, id: string, patientId: string | null): Promise<boolean> {
    const url = hallUrlOf(this.env);
    if (!url) return false;
    const help: HallHelp = { type: 'help', id, orgId: this.env.org.id, deviceId: this.env.device.id, patientId, at: this.env.clock(), userId: actor.userId };
    return this.post(url, { help, signature: signHallRequest(actor.key, help) }).then(
      () => true,
      () => false,
    );
  }

  /** Asked twice at most: the request's id makes a repeat answer the same call, never a second one. */
  private async post(url: string, body: unknown): Promise<HallAnswer> {
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await this.fetchFn(new URL('/hall/requests', url), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch {
        if (attempt < ATTEMPTS) continue;
        throw new AppError('hall_unreachable', { url });
      }
      const reply: unknown = await res.json().catch(() => null);
      if (res.ok) {
        const parsed = hallAnswer.safeParse(reply);
        if (parsed.success) return parsed.data;
        if ((reply as { ok?: unknown } | null)?.ok === true) return { call: null };
      }
      const error = (reply as { error?: { code?: string; params?: Record<string, string> } } | null)?.error;
      if (error?.code === 'hall_refused') throw new AppError('hall_refused', { reason: String(error.params?.reason ?? '') });
      // Any other answer: that address does not carry out calls (an older Kezek, another program, a proxy's page).
      throw new AppError('hall_unreachable', { url });
    }
  }
}
