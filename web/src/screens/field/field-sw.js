// The field app's service worker (scope /field): the app shell for a phone that opens the app with
// no network. Its install fetches the shell — the page and every script, style and font the field
// screen starts with, listed at build time (vite-field-shell.ts writes BUILD and SHELL below) —
// so a phone that opened the app once starts it offline. Navigations: network first, the last
// good copy otherwise. Built assets (/assets/*, hashed, so never changed in place) and the shell's
// public files: cache first. The API and the hub are never cached: data goes through the app's
// outbox, which knows about versions and idempotency keys.
//
// The cache is named after the build whose page it holds (the hash of the page's entry script).
// A new build's worker, or a navigation that brings a new build's page, starts a fresh cache and
// the older builds' caches are deleted: a phone updated over months keeps one build's files, not
// all of them.
const PREFIX = 'dispatch-field-'
const BUILD = 'dev'
const SHELL = []

/** The cache of the build a page belongs to: its entry script's hash, from Vite's index.html. */
function cacheFor(html) {
  const entry = /\/assets\/index-([\w-]+)\.js/.exec(html)
  return PREFIX + (entry ? entry[1] : 'unversioned')
}

/** The cache of the newest page stored (caches.keys() lists caches in the order they were made). */
async function currentCache() {
  const names = (await caches.keys()).filter((name) => name.startsWith(PREFIX))
  return caches.open(names.at(-1) ?? PREFIX + 'unversioned')
}

/** Keeps a page fetched from the network as the shell, and drops other builds' caches. */
async function keepPage(response) {
  const name = cacheFor(await response.clone().text())
  await (await caches.open(name)).put('/field', response)
  const stale = (await caches.keys()).filter((key) => key.startsWith(PREFIX) && key !== name)
  await Promise.all(stale.map((key) => caches.delete(key)))
}

// All of the shell or nothing: a failed fetch fails the install, and the worker before stays on
// (the browser tries again on a later start). Fetched past the HTTP cache: the page is new.
self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(PREFIX + BUILD)
      .then((cache) => cache.addAll(SHELL.map((path) => new Request(path, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  )
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      if (SHELL.length) {
        const stale = (await caches.keys()).filter((key) => key.startsWith(PREFIX) && key !== PREFIX + BUILD)
        await Promise.all(stale.map((key) => caches.delete(key)))
      }
      await self.clients.claim()
    })(),
  )
})

self.addEventListener('fetch', (event) => {
  const request = event.request
  const url = new URL(request.url)
  if (request.method !== 'GET' || url.origin !== self.location.origin) return
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/hubs/') || url.pathname.startsWith('/tiles/')) return

  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) event.waitUntil(keepPage(response.clone()))
          return response
        })
        .catch(() => caches.match('/field').then((cached) => cached || Response.error())),
    )
    return
  }
  if (url.pathname.startsWith('/assets/') || SHELL.includes(url.pathname)) {
    event.respondWith(
      caches.match(request).then(
        (cached) =>
          cached ||
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone()
              event.waitUntil(currentCache().then((cache) => cache.put(request, copy)))
            }
            return response
          }),
      ),
    )
  }
})
