// Pacer's service worker. The server fills in BUILD and ASSETS, so every deploy
// changes this file and the browser installs the new worker beside the old one.
const BUILD = "__BUILD__";
const ASSETS = __ASSETS__;
const ASSET_CACHE = `pacer-assets-${BUILD}`;
// Pages last seen online, shown when the network is gone. Kept per build: HTML of one
// build must never load the WASM of another.
const PAGE_CACHE = `pacer-pages-${BUILD}`;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(ASSET_CACHE).then((cache) => cache.addAll(ASSETS)));
  // No skipWaiting here: a new build waits until the user accepts the reload.
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== ASSET_CACHE && k !== PAGE_CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
  // Signing out forgets the pages of the person who signed out.
  if (event.data === "forget-pages") event.waitUntil(caches.delete(PAGE_CACHE));
  if (event.data && event.data.type === "warm") event.waitUntil(warm(event.data.paths));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/") || url.pathname === "/sw.js") return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (ASSETS.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(request)));
  }
});

// Network first; the page is kept for offline use when it comes from this very build.
// A page from a newer build is not shown by this (older) worker's assets: the cached
// copy is, until the user takes the update.
async function page(request) {
  const cache = await caches.open(PAGE_CACHE);
  try {
    const response = await fetch(request);
    const build = response.headers.get("x-pacer-build");
    if (response.ok && build === BUILD) {
      cache.put(request, response.clone());
      return response;
    }
    if (build && build !== BUILD) {
      const kept = await cache.match(request);
      if (kept) return kept;
    }
    return response;
  } catch (offline) {
    return (await cache.match(request, { ignoreVary: true })) || offlinePage();
  }
}

// A page never kept: say so plainly (a different page's HTML would not fit this
// address, and the app would fail to start on it).
function offlinePage() {
  const html = `<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Pacer</title>
<link rel="stylesheet" href="__CSS__"></head><body><main class="content">
<section class="panel narrow" data-test="offline-page"><h1>Нет связи</h1>
<p>Эта страница не сохранена для работы без связи. Ваши изменения не потеряны.</p>
<p lang="en" class="muted">No connection: this page was not kept for offline use. Your changes are safe.</p>
<p><a class="btn btn-primary" href="/">На главную / Home</a></p></section></main></body></html>`;
  return new Response(html, { status: 503, headers: { "content-type": "text/html; charset=utf-8" } });
}

// What a manager needs in the basement, fetched while the network is there: the main
// pages, and the deals listed on "My day".
const WARM_DEALS = 60;

async function keep(cache, path) {
  const response = await fetch(path, { credentials: "same-origin" });
  if (!response.ok || response.redirected || response.headers.get("x-pacer-build") !== BUILD) return null;
  await cache.put(path, response.clone());
  return response;
}

async function warm(paths) {
  const cache = await caches.open(PAGE_CACHE);
  try {
    for (const path of paths) {
      const response = await keep(cache, path);
      if (path === "/deals" && response) {
        const html = await response.text();
        const deals = [...new Set(html.match(/\/deals\/[0-9a-f-]{36}/g) || [])].slice(0, WARM_DEALS);
        for (const deal of deals) await keep(cache, deal);
      }
    }
  } catch (offline) {
    // The network went away: what was kept stays.
  }
}
