import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/sim/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    // A clinic server and its first desk come up in beforeAll hooks: seconds alone, longer than 10 s on a machine
    // that is also running another test suite (console.test.ts's hook timed out so once, issue 19).
    hookTimeout: 60_000,
    // Password keys at scrypt 2^10 instead of 2^17: hundreds of test accounts would otherwise take minutes (op-keys.ts).
    // tests/unit/op-keys.test.ts checks that without it a desk uses the full cost.
    env: { KEZEK_INSECURE_FAST_KDF: '1' },
  },
});
