import { test, expect, hydrated, PASSWORD } from './fixtures';

// What a manager's phone downloads to make the home page work on a first visit: every
// byte on the wire (compressed, headers included) until the page is hydrated. Today it
// is almost all the WebAssembly bundle. The budget is today's size with a little room:
// the areas still to come (meetings, motivation, training) must not make a manager's
// first page heavier; they load with their own pages. The target is 450 KB.
const BUDGET_BYTES = 960_000;

test('a manager\'s first visit to the home page fits the download budget', async ({ page, context }) => {
  const answer = await context.request.post('/api/auth/login', { data: { email: 'anna@pacer.demo', password: PASSWORD } });
  expect(answer.ok()).toBe(true);
  const sizes: { url: string; bytes: number; encoding?: string }[] = [];
  page.on('requestfinished', async (request) => {
    const size = await request.sizes();
    const encoding = (await request.response())?.headers()['content-encoding'];
    sizes.push({ url: new URL(request.url()).pathname, bytes: size.responseBodySize + size.responseHeadersSize, encoding });
  });
  await page.goto('/');
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Здравствуйте, Анна');
  await page.waitForLoadState('networkidle');
  const total = sizes.reduce((sum, s) => sum + s.bytes, 0);
  console.log(`first visit: ${total} bytes\n${sizes.map((s) => `  ${s.bytes}\t${s.url}`).join('\n')}`);
  // The bundle comes as the build compressed it, in brotli.
  const bundle = sizes.filter((s) => /^\/pkg\/pacer\.[0-9a-f]{16}\.(js|wasm|css)$/.test(s.url));
  expect(bundle.map((s) => s.encoding)).toEqual(['br', 'br', 'br']);
  expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
});
