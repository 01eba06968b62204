// Registers Pacer's service worker and offers a new version when one is waiting.
(() => {
  if (!("serviceWorker" in navigator)) return;
  const words = document.documentElement.lang === "en"
    ? { text: "A new version of Pacer is ready.", button: "Reload" }
    : { text: "Готова новая версия Pacer.", button: "Обновить" };

  function offer(worker) {
    if (document.getElementById("update-banner")) return;
    const banner = document.createElement("div");
    banner.id = "update-banner";
    banner.className = "update-banner";
    banner.setAttribute("role", "status");
    banner.setAttribute("data-test", "update-banner");
    const text = document.createElement("span");
    text.textContent = words.text;
    const button = document.createElement("button");
    button.className = "btn btn-small btn-primary";
    button.textContent = words.button;
    button.addEventListener("click", () => worker.postMessage("skip-waiting"));
    banner.append(text, button);
    document.body.append(banner);
  }

  // A new build the person accepted takes over: reload into it. The first install
  // also takes over the page (clients.claim), but nothing changed for the page
  // then, and a reload would throw away what the person is typing.
  const updating = Boolean(navigator.serviceWorker.controller);
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (!updating || reloading) return;
    reloading = true;
    location.reload();
  });

  navigator.serviceWorker.register("/sw.js").then((registration) => {
    if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      worker?.addEventListener("statechange", () => {
        if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
      });
    });
    // Look for a new build now and then, as a long-open app would never navigate.
    setInterval(() => registration.update().catch(() => {}), 30 * 60 * 1000);
  }).catch(() => {});

  // Signed in and online: keep the main pages and the listed deals for offline use,
  // at most every few minutes, and again after the app sent changes.
  const WARM_EVERY_MS = 5 * 60 * 1000;
  function warm(force) {
    if (!navigator.onLine || !document.querySelector(".frame")) return;
    const last = Number(localStorage.getItem("pacer.warmed") || 0);
    if (!force && Date.now() - last < WARM_EVERY_MS) return;
    localStorage.setItem("pacer.warmed", String(Date.now()));
    navigator.serviceWorker.ready.then((registration) => {
      registration.active?.postMessage({ type: "warm", paths: ["/", "/deals", "/clients", "/goals", "/report"] });
    });
  }
  window.addEventListener("load", () => warm(false));
  window.addEventListener("online", () => warm(false));
  document.addEventListener("pacer:synced", () => warm(true));

  // Offline, a link inside the app loads the page whole, so the service worker can
  // answer with the copy it kept; the in-app router would ask the server for data.
  document.addEventListener("click", (event) => {
    if (navigator.onLine || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!link || link.target || link.hasAttribute("download")) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    location.href = url.href;
  }, true);

  // Signing out forgets the cached pages.
  document.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest('[data-test="logout"]')) {
      navigator.serviceWorker.controller?.postMessage("forget-pages");
      localStorage.removeItem("pacer.warmed");
    }
  }, true);
})();
