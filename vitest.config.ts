import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/sim/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    // A clinic server and its first desk come up in beforeAll hooks: seconds alone, longer than 10 s on a machine
    // that is also running another test suite (console.test.ts's hook timed out so once, issue 19).
    hookTimeout: 60_000,
  },
});
