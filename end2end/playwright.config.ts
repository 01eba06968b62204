import { defineConfig } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Each run gets a fresh database with the demo department, served by the real
// server binary on a port of its own.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pacer-e2e-'));
const port = Number(process.env.PACER_E2E_PORT || 3111);
const bin = process.env.PACER_BIN || '../target/debug/pacer';

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'ru-RU',
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    command: `${bin} --database-url sqlite://${dataDir}/pacer.db --listen 127.0.0.1:${port} --site-root ../target/site serve --demo`,
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: 'pipe',
  },
});
