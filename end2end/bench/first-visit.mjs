// How soon a manager's phone can tap on a first visit over a weak network, and once
// the app is installed. Lighthouse's mobile throttling: 150 ms round trip, 1.6 Mbit/s
// down, 750 kbit/s up, the CPU four times slower; a 390×844 screen, a cold cache, the
// manager signed in. "Interactive" is when the page is hydrated (html[data-hydrated]).
//
//   node end2end/bench/first-visit.mjs [http://127.0.0.1:3000] [runs]
//
// Run it against the release build with the demo department: `.ci/pacer run`.
import { chromium } from '../node_modules/playwright/index.mjs';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const runs = Number(process.argv[3] ?? 5);
const email = process.env.PACER_EMAIL ?? 'anna@pacer.demo';
const password = process.env.PACER_PASSWORD ?? 'pacer-demo';

async function throttle(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  return () => bytes;
}

// Opens `/` and answers when it could first be tapped and when it painted its largest part.
async function open(page, how) {
  await page[how](how === 'goto' ? base + '/' : undefined);
  await page.waitForSelector('html[data-hydrated="true"]', { state: 'attached', timeout: 120_000 });
  return page.evaluate(() => new Promise((resolve) => {
    const interactive = performance.now();
    new PerformanceObserver((list) => {
      const entries = list.getEntries();
      resolve({ interactive, lcp: entries[entries.length - 1].startTime });
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  }));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const cold = [], warm = [];
for (let i = 0; i < runs; i += 1) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true, locale: 'ru-RU' });
  const signedIn = await context.request.post(`${base}/api/auth/login`, { data: { email, password } });
  if (!signedIn.ok()) throw new Error(`sign-in failed: ${signedIn.status()}`);
  const page = await context.newPage();
  const bytes = await throttle(page);
  cold.push({ ...(await open(page, 'goto')), bytes: bytes() });
  // Installed: the service worker has the bundle; open the app again.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  warm.push(await open(page, 'reload'));
  await context.close();
}
await browser.close();
const ms = (x) => `${Math.round(x)} ms`;
console.log(`first visit, ${runs} runs (median): interactive ${ms(median(cold.map((r) => r.interactive)))}, ` +
  `largest paint ${ms(median(cold.map((r) => r.lcp)))}, ${Math.round(median(cold.map((r) => r.bytes)) / 1024)} KB on the wire`);
console.log(`installed (median): interactive ${ms(median(warm.map((r) => r.interactive)))}, largest paint ${ms(median(warm.map((r) => r.lcp)))}`);
