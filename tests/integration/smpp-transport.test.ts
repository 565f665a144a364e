import smpp, { type Pdu, type Server, type Session } from 'smpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smsParts } from '../../sync-server/messages/sms-parts.js';
import { smppTransport } from '../../sync-server/messages/transports/smpp.js';
import { SendFailure } from '../../sync-server/messages/transports/transport.js';

/**
 * Issue 20: SMS over SMPP 3.4 to a loopback SMSC (the `smpp` package's own server, on 127.0.0.1): the bind, UCS-2
 * for Cyrillic, a long text as a concatenated message every handset joins back, and the SMSC's refusals.
 */
type Submitted = { to: string; dataCoding: number; esmClass: number; udh: number[] | null; message: string };
const submitted: Submitted[] = [];
let smsc: Server;
let port = 0;
const BAD_NUMBER = '996000000000';

beforeAll(async () => {
  smsc = smpp.createServer({}, (session: Session) => {
    session.on('bind_transceiver', (pdu: Pdu) => {
      const ok = pdu.system_id === 'clinic' && pdu.password === 'secret';
      session.send(pdu.response(ok ? {} : { command_status: smpp.ESME_RBINDFAIL }));
    });
    session.on('submit_sm', (pdu: Pdu) => {
      if (pdu.destination_addr === BAD_NUMBER) return session.send(pdu.response({ command_status: smpp.ESME_RINVDSTADR }));
      const sm = pdu.short_message as { udh?: Buffer[]; message: string };
      submitted.push({
        to: String(pdu.destination_addr),
        dataCoding: Number(pdu.data_coding),
        esmClass: Number(pdu.esm_class),
        udh: sm.udh?.[0] ? [...sm.udh[0]] : null,
        message: sm.message,
      });
      session.send(pdu.response({ message_id: `m${submitted.length}` }));
    });
  });
  await new Promise<void>((r) => smsc.listen(0, '127.0.0.1', () => r()));
  port = smsc.address().port;
});
afterAll(() => smsc.close());

const transport = (password = 'secret') => smppTransport({ url: `smpp://127.0.0.1:${port}`, systemId: 'clinic', password, sender: 'CSM1', timeoutMs: 5000 });

describe('SMS over SMPP to a loopback SMSC', () => {
  it('sends a Kyrgyz text of three parts as UCS-2 with the concatenation header, joined back exactly', async () => {
    const t = transport();
    const text = 'Эскертүү: эртең 25.11 саат 09:30 үй-бүлөлүк дарыгер Калысбеков И.К., 12-каб. Ленин районунун №1 үй-бүлөлүк медицина борбору. Жокко чыгаруу: +996 312 62-00-00.';
    const parts = smsParts(text).parts;
    expect(parts.length).toBe(3);
    const { ref } = await t.send({ id: 'kezek-1', to: '+996555123456', text });
    expect(ref.split(',')).toHaveLength(3);
    const mine = submitted.slice(-3);
    for (const [i, s] of mine.entries()) {
      expect(s).toMatchObject({ to: '996555123456', dataCoding: 8, esmClass: 0x40 });
      // The SMSC's decoder hands back the information element after the header's length byte: IEI 0x00
      // (concatenation, 8-bit reference), its length 3, the reference, the total, this part's number.
      expect(s.udh).toHaveLength(5);
      expect(s.udh!.slice(0, 2)).toEqual([0x00, 0x03]);
      expect(s.udh!.slice(3)).toEqual([3, i + 1]);
    }
    expect(new Set(mine.map((s) => s.udh![2])).size).toBe(1); // one reference for the three parts
    expect(mine.map((s) => s.message).join('')).toBe(text);
    // A short one goes as a single message, no header.
    await t.send({ id: 'kezek-2', to: '+996555123456', text: 'Кирүү коду: 4821.' });
    expect(submitted.at(-1)).toMatchObject({ dataCoding: 8, esmClass: 0, udh: null, message: 'Кирүү коду: 4821.' });
    await t.close();
  });

  it('a number the SMSC refuses fails for good; a refused bind is worth trying again later', async () => {
    const t = transport();
    const bad = await t.send({ id: 'kezek-3', to: `+${BAD_NUMBER}`, text: 'Код: 1' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(SendFailure);
    expect((bad as SendFailure).permanent).toBe(true);
    await t.close();
    const locked = transport('wrong');
    const refused = await locked.send({ id: 'kezek-4', to: '+996555123456', text: 'Код: 2' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SendFailure);
    expect((refused as SendFailure).permanent).toBe(false);
    await locked.close();
  });
});
