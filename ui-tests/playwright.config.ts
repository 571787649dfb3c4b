import fs from 'node:fs';
import { defineConfig } from '@playwright/test';

/**
 * Browser tests of jlab-alt: each test starts a real `jlab-alt` server (see
 * fixtures.ts) and drives Debian's Chromium (browsers are not downloaded).
 * Run with `npm run test:ui`; failures keep a trace and a screenshot under
 * ui-tests/test-results/ (`npx playwright show-trace <trace.zip>`).
 */
const CI = !!process.env.CI;
/** Debian's chromium flags, shared with the benchmarks (scripts/chromium-args.json). */
const CHROMIUM_ARGS: string[] = JSON.parse(fs.readFileSync(new URL('../scripts/chromium-args.json', import.meta.url), 'utf8'));

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: './test-results',
  reporter: 'list',
  // Each test runs a Jupyter server and a browser: two at a time fit a 2-core machine.
  workers: 2,
  fullyParallel: true,
  forbidOnly: CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: process.env.JLAB_ALT_CHROMIUM ?? '/usr/bin/chromium',
      // The same flags as the benchmarks' browser: nothing sent off the machine, no background work.
      args: CHROMIUM_ARGS
    },
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    timezoneId: 'UTC',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure'
  }
});
