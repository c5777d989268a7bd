// 1d: the field app offline. An action taken without network waits in the outbox and is applied
// once when the network returns; a step or a report whose answer was lost on the way is resent
// and recognised (If-Match → 412 → already applied; the same Idempotency-Key → the same
// incident), never applied twice.
import { expect, test } from '@playwright/test'
import { apiAs, dispatchToRecommended, get, live, phone, places, report, screenshots, step, watch } from './kit'

// Requests go straight from the page, so that the test's network interception sees them.
test.use({ serviceWorkers: 'block' })

const count = (timeline: { action: string }[], action: string) => timeline.filter((e) => e.action === action).length

test('1d: offline actions are applied once after reconnecting, lost answers are not applied twice', async ({ browser }) => {
  const api = await apiAs('city.dispatcher')
  const [at] = await places(api, 1)
  let incident = await report(api, at!, '离线测试：河道护栏断裂约五米，临水一侧无遮挡。', 'safety')
  const { incident: dispatched, worker } = await dispatchToRecommended(api, incident)
  incident = dispatched
  const context = await phone(browser, worker.staffCode, at!)
  const page = await context.newPage()
  // Offline means failed requests and a hub that cannot reconnect until the network is back.
  const seen = watch(page, [/ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_RESET|ERR_FAILED|net::ERR_/, /^failed: /, /HTTP 412 POST \/api\/incidents\/\d+\/transitions/, /status of 412/, /WebSocket/])
  await page.goto('/field')
  await live(page)
  const task = page.locator(`[data-testid=task][data-id="${incident.id}"]`)
  await expect(task).toBeVisible()

  // 1. No network at all: the acknowledgement waits, visibly, and reaches the server when the network returns.
  await context.setOffline(true)
  await expect(page.getByTestId('offline')).toBeVisible()
  await task.getByTestId('acknowledge').click()
  await expect(page.getByTestId('queued')).toContainText('1')
  await expect(task.getByTestId('task-pending')).toBeVisible()
  expect((await get(api, incident.id)).status).toBe('dispatched')
  await page.screenshot({ path: `${screenshots}field-offline-zh.png` })

  await context.setOffline(false)
  await expect(page.getByTestId('queued')).toHaveCount(0, { timeout: 20_000 })
  await expect(task).toHaveAttribute('data-status', 'acknowledged', { timeout: 10_000 })
  let fresh = await get(api, incident.id)
  expect(fresh.status).toBe('acknowledged')
  expect(count(fresh.timeline, 'acknowledge')).toBe(1)

  // 2. "Arrived" reaches the server, but its answer is lost (the connection drops on the way back).
  await page.route('**/api/incidents/*/transitions', async (route) => {
    await route.fetch()
    await route.abort('connectionreset')
  }, { times: 1 })
  let lost = page.waitForEvent('requestfailed')
  await task.getByTestId('arrive').click()
  await lost
  await expect(page.getByTestId('queued')).toContainText('1')
  await page.waitForTimeout(300) // the outbox has put the step back
  expect((await get(api, incident.id)).status).toBe('on_scene')
  await page.evaluate(() => window.dispatchEvent(new Event('online'))) // as when the phone finds its network again
  await expect(page.getByTestId('queued')).toHaveCount(0, { timeout: 20_000 })
  await expect(task).toHaveAttribute('data-status', 'on_scene', { timeout: 10_000 })
  fresh = await get(api, incident.id)
  expect(count(fresh.timeline, 'arrive')).toBe(1)

  // 3. A new report whose answer is lost: resent with the same Idempotency-Key, one incident.
  const description = `离线上报测试 ${Date.now()}：路边变压器有异响并冒烟。`
  const since = new Date(Date.now() - 60_000).toISOString()
  await page.getByTestId('tab-report').click()
  await page.getByTestId('report-category').click()
  await page.locator('.van-picker__confirm').click()
  await page.locator('textarea[data-testid=report-description], [data-testid=report-description] textarea').fill(description)
  await expect(page.getByTestId('report-send')).toBeEnabled()
  await page.route('**/api/incidents', async (route) => {
    if (route.request().method() !== 'POST') return route.continue()
    await route.fetch()
    await route.abort('connectionreset')
  }, { times: 1 })
  lost = page.waitForEvent('requestfailed')
  await page.getByTestId('report-send').click()
  await lost
  await expect(page.getByTestId('queued')).toContainText('1')
  await page.waitForTimeout(300)
  await page.evaluate(() => window.dispatchEvent(new Event('online')))
  await expect(page.getByTestId('queued')).toHaveCount(0, { timeout: 20_000 })
  const recent = (await (await api.get(`/api/incidents?since=${encodeURIComponent(since)}&pageSize=500`)).json()) as { items: { description: string }[] }
  expect(recent.items.filter((i) => i.description === description)).toHaveLength(1)

  expect(seen.problems).toEqual([])
  expect(seen.foreign).toEqual([])
  await context.close()
  await api.dispose()
})

test('the field app in English, installable: manifest and service worker', async ({ browser }) => {
  const api = await apiAs('city.dispatcher')
  const [at] = await places(api, 1)
  const context = await phone(browser, `gw-${at!.gridCode}`, at!, { serviceWorkers: 'allow' })
  const page = await context.newPage()
  const seen = watch(page)
  await page.goto('/field?lang=en')
  await live(page)
  await expect(page.locator('.van-nav-bar__title')).toHaveText('My tasks')
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope)
  expect(new URL(scope).pathname).toBe('/field')
  const manifest = await page.evaluate(() => document.querySelector<HTMLLinkElement>('link[rel=manifest]')?.href)
  const body = (await (await context.request.get(manifest!)).json()) as { start_url: string; display: string; icons: unknown[] }
  expect(body).toMatchObject({ start_url: '/field', display: 'standalone' })
  expect(body.icons.length).toBeGreaterThan(0)
  await page.getByTestId('tab-report').click()
  await expect(page.getByTestId('report')).toContainText(at!.lon.toFixed(5))
  await page.screenshot({ path: `${screenshots}field-en.png` })
  expect(seen.problems).toEqual([])
  expect(seen.foreign).toEqual([])
  await context.close()
  await api.dispose()
})
