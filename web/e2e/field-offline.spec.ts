// Issue 11: the field app's storage. A phone that opened the app once, online, starts it with no
// network — its service worker precached the shell at install, scripts included — and a report
// with three photos filed there waits on the phone (IndexedDB, the photos as Blobs, past a reload)
// until the network returns; then it is stored once, with its three photos. Where the browser
// gives the app no storage, the worker is told, and an offline report is not claimed saved.
import { expect, test, type Page } from '@playwright/test'
import { apiAs, live, phone, places, screenshots, watch } from './kit'

// Offline means failed requests and a hub that cannot reconnect until the network is back.
const offlineNoise = [/ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_RESET|ERR_FAILED|net::ERR_/, /^failed: /, /WebSocket/]

/** A camera-sized JPEG drawn in the page, a different scene for each `n` (so different bytes). */
async function cameraPhoto(page: Page, n: number): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const base64 = await page.evaluate(async (n) => {
    const canvas = new OffscreenCanvas(2000, 1500)
    const g = canvas.getContext('2d')!
    g.fillStyle = ['#7aa2c8', '#c8a27a', '#8fc87a'][n]!
    g.fillRect(0, 0, 2000, 1500)
    g.fillStyle = '#5b4636'
    g.fillRect(200 + n * 300, 700, 900, 500)
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 })).arrayBuffer())
    let text = ''
    for (const b of bytes) text += String.fromCharCode(b)
    return btoa(text)
  }, n)
  return { name: `IMG_08${n}1.jpg`, mimeType: 'image/jpeg', buffer: Buffer.from(base64, 'base64') }
}

/** Fills the report form: the first category, a description and `photos` photos, one at a time as a camera gives them. */
async function fillReport(page: Page, description: string, photos: number): Promise<void> {
  await page.getByTestId('tab-report').click()
  await page.getByTestId('report-category').click()
  await page.locator('.van-picker__confirm').click()
  await page.locator('[data-testid=report-description] textarea').fill(description)
  const uploader = page.getByTestId('report')
  for (let n = 0; n < photos; n++) {
    await uploader.locator('input[type=file]').setInputFiles(await cameraPhoto(page, n))
    await expect(uploader.locator('.van-uploader__preview')).toHaveCount(n + 1)
  }
  await expect(page.getByTestId('report-send')).toBeEnabled()
}

test('opened once online, the field app starts offline; a report with three photos waits on the phone and is stored once', async ({ browser }) => {
  const api = await apiAs('city.dispatcher')
  const [at] = await places(api, 1)
  const worker = `gw-${at!.gridCode}`
  const context = await phone(browser, worker, at!, { serviceWorkers: 'allow' })
  const page = await context.newPage()
  const seen = watch(page, offlineNoise)

  // Once, online: the service worker installs, and its install fetched the whole shell.
  await page.goto('/field')
  await live(page)
  await page.evaluate(async () => void (await navigator.serviceWorker.ready))
  await expect.poll(() => page.evaluate(() => window.localStorage.getItem('dispatch.categories') !== null)).toBe(true)
  const shell = await page.evaluate(async () => {
    const names = (await caches.keys()).filter((name) => name.startsWith('dispatch-field-'))
    return Promise.all(names.map(async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname))).then((lists) => lists.flat())
  })
  expect(shell).toContain('/field')
  expect(shell.some((path) => /^\/assets\/FieldScreen-[\w-]+\.js$/.test(path))).toBe(true)
  expect(shell.some((path) => /^\/assets\/index-[\w-]+\.js$/.test(path))).toBe(true)

  // No network, and the app is opened again: it starts, scripts and all.
  await context.setOffline(true)
  await page.reload()
  await expect(page.locator('.van-nav-bar__title')).toHaveText('我的任务')
  await expect(page.getByTestId('offline')).toBeVisible()
  await expect(page.getByTestId('not-durable')).toHaveCount(0)

  const description = `离线存储测试 ${Date.now()}：村道边电线杆倾斜，电线下垂至两米左右。`
  const since = new Date(Date.now() - 60_000).toISOString()
  await fillReport(page, description, 3)
  await page.getByTestId('report-send').click()
  await expect(page.locator('.van-toast')).toContainText('已保存，联网后自动上报')
  await expect(page.getByTestId('queued')).toContainText('1')
  await page.screenshot({ path: `${screenshots}field-offline-outbox-zh.png` })

  // Kept in IndexedDB with its photos as Blobs (nothing in localStorage), past another offline start.
  await page.reload()
  await expect(page.getByTestId('queued')).toContainText('1')
  const kept = await page.evaluate(() => {
    const report = window.__outbox!.pending[0] as { kind: string; photos: unknown[] }
    return { kind: report.kind, blobs: report.photos.filter((p) => p instanceof Blob && p.type === 'image/jpeg').length }
  })
  expect(kept).toEqual({ kind: 'report', blobs: 3 })
  expect(await page.evaluate(() => Object.keys(window.localStorage).filter((key) => key.startsWith('dispatch.outbox.')))).toEqual([])

  // The network returns: the report and its photos go, once.
  await context.setOffline(false)
  await expect(page.getByTestId('queued')).toHaveCount(0, { timeout: 30_000 })
  const recent = (await (await api.get(`/api/incidents?since=${encodeURIComponent(since)}&pageSize=500`)).json()) as { items: { id: number; description: string }[] }
  const mine = recent.items.filter((i) => i.description === description)
  expect(mine).toHaveLength(1)
  const photos = (await (await api.get(`/api/incidents/${mine[0]!.id}/photos`)).json()) as { contentType: string; uploadedBy: string; bytes: number }[]
  expect(photos).toHaveLength(3)
  // Each shrunk on the phone (1280 px wide, not a thumbnail: the photos are tens of KB, not hundreds of bytes).
  expect(photos.every((p) => p.contentType === 'image/jpeg' && p.uploadedBy === worker && p.bytes > 5000)).toBe(true)

  expect(seen.problems).toEqual([])
  expect(seen.foreign).toEqual([])
  await context.close()
  await api.dispose()
})

test('where the browser gives the app no storage, the worker is told, and an offline report is not claimed saved', async ({ browser }) => {
  const api = await apiAs('city.dispatcher')
  const [at] = await places(api, 1)
  const context = await phone(browser, `gw-${at!.gridCode}`, at!, { serviceWorkers: 'block' })
  // As in a private window that refuses IndexedDB.
  await context.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined }))
  const page = await context.newPage()
  const seen = watch(page, offlineNoise)
  await page.goto('/field?lang=en')
  await live(page)
  await expect(page.getByTestId('not-durable')).toContainText('cannot keep unsent actions')

  await context.setOffline(true)
  await expect(page.getByTestId('offline')).toBeVisible()
  const description = `No storage test ${Date.now()}: a fallen tree across the village road.`
  // Vant's own texts follow the app's language.
  await page.getByTestId('tab-report').click()
  await page.getByTestId('report-category').click()
  await expect(page.locator('.van-picker__confirm')).toHaveText('Confirm')
  await expect(page.locator('.van-picker__cancel')).toHaveText('Cancel')
  await page.locator('.van-picker__cancel').click()
  await fillReport(page, description, 1)
  await page.getByTestId('report-send').click()
  const notice = page.locator('.van-notify')
  await expect(notice).toContainText('Not saved')
  // Nothing queued, nothing claimed; the form keeps what the worker wrote.
  await expect(page.getByTestId('queued')).toHaveCount(0)
  await expect(page.locator('.van-toast')).toHaveCount(0)
  await expect(page.locator('[data-testid=report-description] textarea')).toHaveValue(description)
  await expect(page.getByTestId('report').locator('.van-uploader__preview')).toHaveCount(1)
  await expect(notice).toBeInViewport({ ratio: 1 })
  await page.waitForTimeout(400) // the notice has slid in
  await page.screenshot({ path: `${screenshots}field-storage-error-en.png` })

  expect(seen.problems).toEqual([])
  expect(seen.foreign).toEqual([])
  await context.close()
  await api.dispose()
})
