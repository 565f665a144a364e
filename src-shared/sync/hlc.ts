/**
 * Hybrid logical clock (Kulkarni et al.): orders a device's ops and helps
 * diagnostics across devices. Never used to decide who gets a slot (docs/sync-design.md, Clocks).
 * Encoded so that string order is clock order: 13-digit ms, 5-digit counter, node.
 */
export class Hlc {
  private wall = 0;
  private counter = 0;

  constructor(
    private readonly node: string,
    private readonly clock: () => number,
  ) {}

  now(): string {
    const pt = this.clock();
    if (pt > this.wall) {
      this.wall = pt;
      this.counter = 0;
    } else {
      this.counter++;
    }
    return Hlc.encode(this.wall, this.counter, this.node);
  }

  /** The wall-clock part of an encoded HLC (ms), or null when it is not one. */
  static physical(hlc: string): number | null {
    const m = /^(\d{13})-/.exec(hlc);
    return m ? Number(m[1]) : null;
  }

  static encode(wall: number, counter: number, node: string): string {
    return `${String(wall).padStart(13, '0')}-${String(counter).padStart(5, '0')}-${node}`;
  }
}
