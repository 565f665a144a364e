import { createServer, type Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A network link a test can cut: a TCP relay on 127.0.0.1 in front of `target` (host:port). Cut, it drops every
 * open connection at once and every new one as it arrives — what a desk sees when the clinic's internet goes — and
 * restored, it relays again. Only this desk's link goes: the server and the other desks stay up.
 */
export async function cutLink(target: { host: string; port: number }) {
  let cut = false;
  const open = new Set<Socket>();
  const server = createServer((inbound) => {
    if (cut) return inbound.destroy();
    const outbound = connect(target.port, target.host);
    open.add(inbound).add(outbound);
    const drop = () => {
      inbound.destroy();
      outbound.destroy();
      open.delete(inbound);
      open.delete(outbound);
    };
    inbound.on('error', drop).on('close', drop);
    outbound.on('error', drop).on('close', drop);
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut() {
      cut = true;
      for (const s of open) s.destroy();
      open.clear();
    },
    restore() {
      cut = false;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of open) s.destroy();
        server.close(() => r());
      }),
  };
}
