/**
 * Sign-in throttling, for the desk's sign-in and the installers' console alike: after a few wrong
 * passwords an account (or an address, with a larger budget — a desk's registrars share one) must
 * wait, doubling from 30 s up to 15 minutes. Guessing a password then takes years instead of
 * minutes; someone who mistyped waits seconds. In memory: a restart forgets the counts.
 */
const FREE_FAILURES = { account: 5, address: 20 } as const;
const FIRST_WAIT_MS = 30_000;
const MAX_WAIT_MS = 15 * 60_000;

interface Failures {
  count: number;
  until: number;
}

export class SignInThrottle {
  private readonly failures = new Map<string, Failures>();

  private keys(username: string, address: string) {
    return [
      ['account', `u:${username.toLowerCase()}`],
      ['address', `a:${address}`],
    ] as const;
  }

  /** Milliseconds this account or address must still wait before a password is even checked (0: go ahead). */
  wait(username: string, address: string, now: number): number {
    return Math.max(0, ...this.keys(username, address).map(([, k]) => (this.failures.get(k)?.until ?? 0) - now));
  }

  failed(username: string, address: string, now: number): void {
    // Bounded memory whatever names are tried: forget waits that are over once the table grows.
    if (this.failures.size > 10_000) for (const [k, f] of this.failures) if (f.until < now) this.failures.delete(k);
    for (const [kind, k] of this.keys(username, address)) {
      const f = this.failures.get(k) ?? { count: 0, until: 0 };
      f.count++;
      const over = f.count - FREE_FAILURES[kind];
      if (over >= 0) f.until = now + Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** over);
      this.failures.set(k, f);
    }
  }

  succeeded(username: string, address: string): void {
    for (const [, k] of this.keys(username, address)) this.failures.delete(k);
  }
}
