// A grid worker opens the field app where there is no network: the service worker answers with the
// app as last run, the worker is still signed in as themselves and sees their tasks as last seen
// (without the reporters' contacts), and a step taken there is applied once the network returns.
// A new build's page drops the older builds' cached files.
import { expect, test } from '@playwright/test'
import { apiAs, dispatchToRecommended, get, live, phone, places, type Incident } from './kit'

test('the field app opens with no network, as its last user, with their tasks; older builds are dropped', async ({ browser }) => {
  const api = await apiAs('city.dispatcher')
  const [at] = await places(api, 1)
  const created = await api.post('/api/incidents', {
    data: { categoryCode: 'safety', description: '离线启动测试：村口桥面出现裂缝，约两米长。', lon: at!.lon, lat: at!.lat, source: 'hotline', reporterName: '王秀兰', reporterPhone: '13903921234' },
  })
  expect(created.status(), await created.text()).toBe(201)
  let incident = (await created.json()) as Incident
  const { incident: dispatched, worker } = await dispatchToRecommended(api, incident)
  incident = dispatched
  const context = await phone(browser, worker.staffCode, at!, { serviceWorkers: 'allow' })
  const page = await context.newPage()
  await page.goto('/field')
  await live(page)
  const task = page.locator(`[data-testid=task][data-id="${incident.id}"]`)
  await expect(task).toBeVisible()
  // Online, the worker on the case sees who reported it, and can call them.
  await expect(task.getByTestId('reporter')).toContainText('王秀兰')
  await expect(task.getByTestId('reporter').locator('a')).toHaveAttribute('href', 'tel:13903921234')
  await page.evaluate(async () => void (await navigator.serviceWorker.ready))

  // A phone that ran an older build still has its files; the current build's page is fetched
  // through the worker on the next online start, and only its cache remains.
  await page.evaluate(async () => {
    const old = await caches.open('dispatch-field-0lderBuild')
    await old.put('/assets/index-0lderBuild.js', new Response('// last month'))
  })
  const html = await (await context.request.get('/field')).text()
  const build = /\/assets\/index-([\w-]+)\.js/.exec(html)![1]
  await page.reload()
  await live(page)
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true)
  const cacheNames = () => page.evaluate(async () => (await caches.keys()).filter((key) => key.startsWith('dispatch-field-')))
  await expect.poll(cacheNames).toEqual([`dispatch-field-${build}`])
  // The running page's own files went into that cache as they loaded.
  const cached = () =>
    page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((request) => new URL(request.url).pathname), `dispatch-field-${build}`)
  await expect.poll(async () => (await cached()).some((path) => path.startsWith('/assets/FieldScreen-'))).toBe(true)
  expect(await cached()).toContain('/field')

  // No network at all, and the app is opened again.
  await context.setOffline(true)
  await page.reload()
  await expect(page.locator('.van-nav-bar__title')).toHaveText('我的任务')
  await expect(page.getByTestId('offline')).toBeVisible()
  await expect(task).toBeVisible()
  // What the worker saw online of the reporter is not kept on the phone.
  const kept = (await page.evaluate((key) => window.localStorage.getItem(key), `dispatch.tasks.${worker.staffCode}`))!
  expect(kept).toContain('村口桥面出现裂缝')
  expect(kept).not.toContain('王秀兰')
  expect(kept).not.toContain('13903921234')
  await expect(task.getByTestId('reporter')).toHaveCount(0)
  await task.getByTestId('acknowledge').click()
  await expect(page.getByTestId('queued')).toContainText('1')

  await context.setOffline(false)
  await expect(page.getByTestId('queued')).toHaveCount(0, { timeout: 30_000 })
  await expect.poll(async () => (await get(api, incident.id)).status, { timeout: 10_000 }).toBe('acknowledged')

  // Signing out forgets the user and their tasks on this phone.
  await page.locator('.van-tabbar-item', { hasText: '我的' }).click()
  await page.getByTestId('sign-out').click()
  expect(await page.evaluate(() => Object.keys(window.localStorage).filter((key) => key.startsWith('dispatch.lastUser') || key.startsWith('dispatch.tasks.')))).toEqual([])
  await context.close()
  await api.dispose()
})
