import { defineConfig } from 'vitest/config';
import { VERSION } from './scripts/version.mjs';

// Unit tests for the TypeScript frontend. Tests run in Node by default; a test file
// that needs a DOM opts in with a `// @vitest-environment jsdom` comment at its top.
export default defineConfig({
  define: { __JLAB_ALT_VERSION__: JSON.stringify(VERSION) },
  test: {
    include: ['ts_src/**/*.test.ts'],
    environment: 'node',
    restoreMocks: true,
    unstubGlobals: true,
    allowOnly: false,
    passWithNoTests: false
  }
});
