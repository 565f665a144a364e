/**
 * At most `limit` tasks at once in this process; the others wait their turn in arrival order. The booking API runs
 * its searches in one (routes.ts): when a clinic's times open and hundreds search at once, the patients already holding
 * a time finish booking it instead of queueing behind everyone still looking.
 */
export class Lane {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiting task; only with nobody waiting is it given back.
      if (next) next();
      else this.active--;
    }
  }
}
