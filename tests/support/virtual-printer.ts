import { createServer, type Server } from 'node:net';

/** A network thermal printer on 127.0.0.1: keeps every job's bytes (one job per connection). */
export class VirtualPrinter {
  readonly jobs: Buffer[] = [];
  private server: Server | null = null;
  port = 0;

  async start(port = 0): Promise<this> {
    this.server = createServer((sock) => {
      const chunks: Buffer[] = [];
      sock.on('data', (c) => chunks.push(c));
      sock.on('end', () => this.jobs.push(Buffer.concat(chunks)));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }
}

/** A port nothing listens on (found by opening and closing a server). */
export async function closedPort(): Promise<number> {
  const p = await new VirtualPrinter().start();
  await p.stop();
  return p.port;
}
