// 1b: a dispatcher dispatches an incident in /console; the assigned staff's /field shows it live;
// acknowledging there changes its status on /console live. Also: another dispatcher acting first
// is a clear message and the fresh state, and a new incident starts from a click on the map.
import { expect, test } from '@playwright/test'
import { alarms, apiAs, get, live, mapIdle, observeAlarms, phone, places, recommendedTeam, report, screenshots, signIn, step, watch } from './kit'

test('1b: dispatch in the console, the field app sees it live, its acknowledgement shows on the console live', async ({ page, context, browser }) => {
  const consoleSeen = watch(page)
  const api = await apiAs('city.dispatcher')
  const [at] = await places(api, 1)
  const incident = await report(api, at!, '调度台测试：小区配电箱柜门损坏，电线裸露，儿童经常在附近玩耍。', 'safety')

  await signIn(context, 'city.dispatcher')
  await page.goto('/console')
  await live(page)

  // Keyboard first: the command palette opens the incident, A accepts it.
  await page.keyboard.press('Control+k')
  await page.locator('input[data-testid=palette-input], [data-testid=palette-input] input').fill(`#${incident.id}`)
  await page.keyboard.press('Enter')
  const detail = page.getByTestId('detail')
  await expect(detail).toHaveAttribute('data-id', String(incident.id))
  await page.keyboard.press('a')
  await expect(detail).toHaveAttribute('data-status', 'accepted')
  await expect(page.getByTestId('dispatch-recommended')).toBeEnabled()
  const [worker] = await recommendedTeam(api, incident.id)
  expect(worker, 'a recommended grid worker').toBeTruthy()

  const fieldContext = await phone(browser, worker!.staffCode, at!)
  const field = await fieldContext.newPage()
  const fieldSeen = watch(field)
  await observeAlarms(field)
  await field.goto('/field')
  await live(field)
  await field.locator('.van-nav-bar').tap() // the worker's first touch unlocks sound

  await page.getByTestId('dispatch-recommended').click()
  await expect(detail).toHaveAttribute('data-status', 'dispatched')

  const task = field.locator(`[data-testid=task][data-id="${incident.id}"]`)
  await expect(task).toBeVisible({ timeout: 10_000 })
  await expect(task).toContainText('配电箱')
  // A new task sounds (urgent: three tones for an important one) and vibrates.
  await expect.poll(async () => (await alarms(field)).tones).toBeGreaterThanOrEqual(3)
  expect((await alarms(field)).vibrations).toEqual([[200, 100, 200]])
  await field.screenshot({ path: `${screenshots}field-zh.png` })

  await task.getByTestId('acknowledge').click()
  // Live on the console: no reload, no click.
  await expect(detail).toHaveAttribute('data-status', 'acknowledged', { timeout: 10_000 })
  await expect(page.locator(`[data-testid=queue-row][data-id="${incident.id}"]`)).toContainText('已接单')
  await expect(detail.locator('[data-testid=assignment]')).toHaveAttribute('data-status', 'acknowledged')
  await expect(task).toHaveAttribute('data-status', 'acknowledged')
  expect((await get(api, incident.id)).status).toBe('acknowledged')

  await mapIdle(page)
  await page.screenshot({ path: `${screenshots}console-zh.png` })
  expect(consoleSeen.problems).toEqual([])
  expect(fieldSeen.problems).toEqual([])
  expect([...consoleSeen.foreign, ...fieldSeen.foreign]).toEqual([])
  await fieldContext.close()
  await api.dispose()
})

test('another dispatcher acting first: a clear message and the fresh state, never a silent overwrite', async ({ page, context }) => {
  // The refused step is the point of the test: its 412 is expected, nothing else.
  const seen = watch(page, [/HTTP 412 POST \/api\/incidents\/\d+\/transitions/, /status of 412/])
  const qibin = await apiAs('qibin.dispatcher')
  const [at] = await places(qibin, 1, '410611')
  const incident = await report(qibin, at!, '调度冲突测试：商铺门前占道经营，影响行人通行。', 'service')

  await signIn(context, 'city.dispatcher')
  await page.goto('/console')
  await live(page)
  await page.keyboard.press('Control+k')
  await page.locator('input[data-testid=palette-input], [data-testid=palette-input] input').fill(`#${incident.id}`)
  await page.keyboard.press('Enter')
  const detail = page.getByTestId('detail')
  await expect(detail).toHaveAttribute('data-status', 'reported')

  // The other dispatcher rejects it just as this one presses "accept".
  // If the other dispatcher's step failed, the route must not let this one through as if nothing happened.
  let outcome: string | null = null
  await page.route('**/api/incidents/*/transitions', async (route) => {
    try {
      await step(qibin, incident, 'reject')
      outcome = 'ok'
    } catch (error) {
      outcome = (error as Error).message
    }
    await route.continue()
  }, { times: 1 })
  await page.keyboard.press('a')
  await expect.poll(() => outcome, { message: "the other dispatcher's reject" }).toBe('ok')
  await expect(page.locator('.stale-notice')).toContainText('另一位调度员已先处理了此事件')
  await expect(detail).toHaveAttribute('data-status', 'rejected')
  expect((await get(qibin, incident.id)).status).toBe('rejected')
  await page.screenshot({ path: `${screenshots}console-stale-zh.png` })
  expect(seen.problems).toEqual([])
  await qibin.dispose()
})

test('a new incident from a click on the map shows its grid before it is saved', async ({ page, context }) => {
  const seen = watch(page)
  await signIn(context, 'city.dispatcher')
  await page.goto('/console')
  await live(page)
  await mapIdle(page)
  await page.evaluate(() => window.__map!.jumpTo({ center: [114.297, 35.748], zoom: 13 }))
  await mapIdle(page)

  await page.keyboard.press('n')
  await expect(page.getByTestId('map')).toHaveAttribute('data-picking', 'true')
  const box = (await page.getByTestId('map').boundingBox())!
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
  const grid = page.getByTestId('new-incident-grid')
  await expect(grid).toContainText(/\d{15}/)
  // The district, township and village it lies in, by name.
  await expect(grid).toContainText(/(区|县).* \/ .* \/ /)
  await page.getByTestId('new-incident-category').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '安全隐患' }).first().click()
  await page.locator('textarea[data-testid=new-incident-description], [data-testid=new-incident-description] textarea').fill('新建事件测试：路灯连续三晚不亮，路段漆黑。')
  await page.screenshot({ path: `${screenshots}console-new-incident-zh.png` })
  await page.getByTestId('new-incident-save').click()

  const detail = page.getByTestId('detail')
  await expect(detail).toContainText('路灯连续三晚不亮')
  await expect(detail).toHaveAttribute('data-status', 'reported')
  expect(seen.problems).toEqual([])
  expect(seen.foreign).toEqual([])
})

test('the console in English', async ({ page, context }) => {
  const seen = watch(page)
  await signIn(context, 'qibin.dispatcher')
  await page.goto('/console?lang=en')
  await live(page)
  await expect(page.getByTestId('queue')).toContainText('incidents')
  await page.keyboard.press('j')
  await expect(page.getByTestId('detail')).toBeVisible()
  await mapIdle(page)
  await page.screenshot({ path: `${screenshots}console-en.png` })
  expect(seen.problems).toEqual([])
  expect(seen.foreign).toEqual([])
})
