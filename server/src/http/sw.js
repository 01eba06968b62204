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
    return (await cache.match(request)) || (await cache.match("/")) || Response.error();
  }
}
