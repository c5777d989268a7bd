// A grid worker resolves on scene with a photo from the phone's camera: the photo is shrunk on the
// phone (≤ 1280 px, JPEG), sent once even when the first answer is lost on a weak network, and
// the dispatcher sees it on the incident in the console.
import { expect, test, type Page } from '@playwright/test'
import { apiAs, baseURL, dispatchToRecommended, get, live, phone, places, report, signIn, step, watch } from './kit'

// Requests go straight from the page, so that the test's network interception sees them.
test.use({ serviceWorkers: 'block' })

/** A camera-sized PNG (2400×1800) drawn in the page: the photo the phone hands the app. */
async function cameraPhoto(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(2400, 1800)
    const g = canvas.getContext('2d')!
    g.fillStyle = '#7aa2c8'
    g.fillRect(0, 0, 2400, 1800)
    g.fillStyle = '#5b4636'
    g.fillRect(300, 900, 1800, 600) // a broken railing, more or less
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer())
    let text = ''
    for (const b of bytes) text += String.fromCharCode(b)
    return btoa(text)
  })
  return Buffer.from(base64, 'base64')
}

/** Width and height from a JPEG's start-of-frame marker. */
function jpegSize(jpeg: Buffer): { width: number; height: number } {
  for (let i = 2; i < jpeg.length - 9; ) {
    if (jpeg[i] !== 0xff) throw new Error(`not a JPEG marker at ${i}`)
    const marker = jpeg[i + 1]!
    if (marker >= 0xc0 && marker <= 0xc3) return { height: jpeg.readUInt16BE(i + 5), width: jpeg.readUInt16BE(i + 7) }
    i += 2 + jpeg.readUInt16BE(i + 2)
  }
  throw new Error('no frame in the JPEG')
}

test('resolving with a photo on a weak network: shrunk on the phone, stored once, shown on the console', async ({ browser }) => {
  const api = await apiAs('city.dispatcher')
  const [at] = await places(api, 1)
  let incident = await report(api, at!, '照片测试：河道护栏断裂约五米，临水一侧无遮挡。', 'safety')
  const { incident: dispatched, worker } = await dispatchToRecommended(api, incident)
  incident = dispatched
  const workerApi = await apiAs(worker.staffCode)
  incident = await step(workerApi, incident, 'acknowledge')
  incident = await step(workerApi, incident, 'arrive')

  const context = await phone(browser, worker.staffCode, at!)
  const page = await context.newPage()
  const seen = watch(page, [/^failed: POST \/api\/incidents\/\d+\/photos/, /ERR_CONNECTION_RESET/]) // the answer lost on purpose
  await page.goto('/field')
  await live(page)
  const task = page.locator(`[data-testid=task][data-id="${incident.id}"]`)
  await expect(task).toHaveAttribute('data-status', 'on_scene')

  await task.getByTestId('resolve').click()
  const form = page.getByTestId('resolve-form')
  await form.locator('textarea').fill('护栏已临时加固并设置警示带，已通知水利站更换。')
  await form.locator('input[type=file]').setInputFiles({ name: 'IMG_0412.png', mimeType: 'image/png', buffer: await cameraPhoto(page) })
  await expect(form.locator('.van-uploader__preview')).toHaveCount(1)

  // The upload reaches the server but its answer is lost: the outbox keeps the photo and sends it again.
  let uploads = 0
  await page.route('**/api/incidents/*/photos', async (route) => {
    uploads++
    await route.fetch()
    await route.abort('connectionreset')
  }, { times: 1 })
  const lost = page.waitForEvent('requestfailed')
  await form.getByTestId('resolve-submit').click()
  await lost
  await page.waitForTimeout(300) // the outbox has put the photo back
  await page.evaluate(() => window.dispatchEvent(new Event('online'))) // the phone finds its network again
  await expect(page.getByTestId('queued')).toHaveCount(0, { timeout: 20_000 })
  await expect(task).toHaveCount(0, { timeout: 10_000 }) // resolved work leaves the task list
  expect(uploads).toBe(1)

  const fresh = await get(api, incident.id)
  expect(fresh.status).toBe('resolved')
  const photos = (await (await api.get(`/api/incidents/${incident.id}/photos`)).json()) as { url: string; contentType: string; bytes: number; uploadedBy: string }[]
  expect(photos).toHaveLength(1)
  expect(photos[0]!.contentType).toBe('image/jpeg')
  expect(photos[0]!.uploadedBy).toBe(worker.staffCode)
  const stored = Buffer.from(await (await api.get(photos[0]!.url)).body())
  expect(stored.length).toBe(photos[0]!.bytes)
  expect(jpegSize(stored)).toEqual({ width: 1280, height: 960 })

  // The dispatcher sees it on the incident.
  const desk = await browser.newContext({ baseURL, viewport: { width: 1600, height: 900 } })
  await signIn(desk, 'city.dispatcher')
  const console_ = await desk.newPage()
  await console_.goto('/console')
  await live(console_)
  await console_.keyboard.press('Control+k')
  await console_.locator('input[data-testid=palette-input], [data-testid=palette-input] input').fill(`#${incident.id}`)
  await console_.keyboard.press('Enter')
  await expect(console_.getByTestId('detail')).toHaveAttribute('data-id', String(incident.id))
  const thumb = console_.getByTestId('detail').locator('.photos img')
  await expect(thumb).toHaveCount(1, { timeout: 30_000 })
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 }).toBe(1280)

  expect(seen.problems).toEqual([])
  expect(seen.foreign).toEqual([])
  await desk.close()
  await context.close()
  await workerApi.dispose()
  await api.dispose()
})
