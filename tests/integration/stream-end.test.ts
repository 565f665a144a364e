import { afterAll, describe, expect, it } from 'vitest';
import { ClinicServer } from '../support/clinic-server.js';
import { MONDAY_9AM } from '../support/desk.js';
import { waitFor } from '../support/wait.js';

/**
 * A desk following the server's event stream polls only every 30 s (pokes tell it the rest). When the stream breaks
 * because the server went away, it must go back to its own pace at once: before, it waited out the 30 s (with
 * jitter up to 37 s) and the status bar kept saying «В сети» meanwhile (the absence e2e's offline step flaked on it).
 */
const clinic = new ClinicServer(() => MONDAY_9AM);
afterAll(() => clinic.stop());

describe('the event stream ends', () => {
  it('a streaming desk notices the server is gone within its own polling interval', async () => {
    await clinic.start();
    const d = await clinic.enrolledDesk('Регистратура');
    const engine = d.desk.sync!;
    await engine.syncOnce();
    engine.start(1000);
    await waitFor(() => (engine as unknown as { streaming: boolean }).streaming, 15_000, 'the event stream to open');
    expect(engine.status().online).toBe(true);
    await clinic.down();
    await waitFor(() => !engine.status().online, 12_000, 'the desk to say it is offline');
    await d.desk.close();
  });
});
