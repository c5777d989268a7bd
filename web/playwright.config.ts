import { defineConfig } from '@playwright/test'

// Runs against a running server (the built app is in its wwwroot): `DISPATCH_URL` or the default.
// Debian's Chromium, never a downloaded browser (`npx playwright install` cannot work offline).
export default defineConfig({
  testDir: './e2e',
  reporter: 'list',
  // WebGL is software-rendered in headless Chromium: a 1600×900 map takes seconds, not millis.
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 1,
  use: {
    baseURL: process.env.DISPATCH_URL ?? 'http://127.0.0.1:5080',
    viewport: { width: 1600, height: 900 },
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
})
