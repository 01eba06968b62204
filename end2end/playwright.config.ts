import { defineConfig } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Each spec file gets a database of its own with a fresh demo department, served by the
// real server binary on a port of its own: what one spec changes (a deal handed to
// another manager, a stage added) cannot break another, whatever order they run in.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pacer-e2e-'));
const firstPort = Number(process.env.PACER_E2E_PORT || 3111);
const bin = process.env.PACER_BIN || '../target/debug/pacer';
const specs = fs.readdirSync(path.join(__dirname, 'tests')).filter((f) => f.endsWith('.spec.ts')).sort();
const port = (i: number) => firstPort + i;

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    locale: 'ru-RU',
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: specs.map((spec, i) => ({
    name: spec.replace('.spec.ts', ''),
    testMatch: spec,
    use: { baseURL: `http://127.0.0.1:${port(i)}` },
  })),
  webServer: specs.map((spec, i) => ({
    command: `${bin} --database-url sqlite://${dataDir}/${spec.replace('.spec.ts', '')}.db --listen 127.0.0.1:${port(i)} --site-root ../target/site serve --demo`,
    url: `http://127.0.0.1:${port(i)}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe' as const,
  })),
});
