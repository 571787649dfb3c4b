import { defineConfig } from 'vitest/config';

// Unit tests for the TypeScript frontend. Tests run in Node by default; a test file
// that needs a DOM opts in with a `// @vitest-environment jsdom` comment at its top.
export default defineConfig({
  test: {
    include: ['ts_src/**/*.test.ts'],
    environment: 'node',
    restoreMocks: true,
    unstubGlobals: true,
    allowOnly: false,
    passWithNoTests: false
  }
});
