// 1b: a dispatcher dispatches an incident in /console; the assigned staff's /field shows it live;
// acknowledging there changes its status on /console live. Also: another dispatcher acting first
// is a clear message and the fresh state, a new incident starts from a click on the map, and a
// superior centre pulls a village's case up (提级) before acting on it. Each console acting on an
// incident is signed in as its responsible centre (四级综治中心): only that centre may act.
import { expect, test, type Page } from '@playwright/test'
import { alarms, apiAs, centreDispatcher, freshPlace, get, live, mapIdle, observeAlarms, phone, places, recommendedTeam, report, screenshots, signIn, step, watch } from './kit'

async function openIncident(page: Page, id: number): Promise<void> {
  await page.keyboard.press('Control+k')
  await page.locator('input[data-testid=palette-input], [data-testid=palette-input] input').fill(`#${id}`)
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('detail')).toHaveAttribute('data-id', String(id))
}

test('1b: dispatch in the console, the field app sees it live, its acknowledgement shows on the console live', async ({ page, context, browser }) => {
  const consoleSeen = watch(page)
  const api = await apiAs('city.dispatcher')
  const at = await freshPlace(api) // no report near: its grid worker is free, whatever earlier runs left
  const incident = await report(api, at, '调度台测试：小区配电箱柜门损坏，电线裸露，儿童经常在附近玩耍。', 'safety')

  await signIn(context, centreDispatcher(incident.centreCode))
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

  const fieldContext = await phone(browser, worker!.staffCode, at)
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

  // The console and the other dispatcher (step() acts as the responsible centre) are the centre's two desks.
  await signIn(context, centreDispatcher(incident.centreCode))
  await page.goto('/console')
  await live(page)
  await page.keyboard.press('Control+k')
  await page.locator('input[data-testid=palette-input], [data-testid=palette-input] input').fill(`#${incident.id}`)
  await page.keyboard.press('Enter')
  const detail = page.getByTestId('detail')
  await expect(detail).toHaveAttribute('data-status', 'reported')

  // The centre's other desk rejects it just as this one presses "accept".
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

test('a township centre pulls up a case of one of its villages (提级) with a reason, then accepts it', async ({ page, context }) => {
  const seen = watch(page)
  const api = await apiAs('city.dispatcher')
  const [at] = await places(api, 1)
  const incident = await report(api, at!, '提级测试：两户村民因宅基地边界反复争吵，村里调解两次未果。', 'safety')
  expect(incident.centreCode, "the village's centre is responsible").toBe(incident.villageCode)
  const township = incident.townshipCode

  await signIn(context, centreDispatcher(township))
  await page.goto('/console')
  await live(page)
  await openIncident(page, incident.id)
  const detail = page.getByTestId('detail')
  await expect(detail).toHaveAttribute('data-status', 'reported')

  // The village's case: the township only reads, and is offered 提级.
  await expect(detail.getByTestId('centre')).toHaveText(`${incident.centreName}综治中心`)
  const readOnly = detail.getByTestId('read-only')
  await expect(readOnly).toContainText(`由${incident.centreName}综治中心负责，本中心只能查看进展`)
  await expect(readOnly).toContainText('如需直接处置，可提级')
  await expect(detail.locator('[data-action=accept]')).toHaveCount(0)
  await expect(page.getByTestId('recommendations')).toHaveCount(0)

  // Not without a reason; with one, the case is the township's.
  await detail.getByTestId('pull-up').click()
  const dialog = page.locator('.reason-dialog')
  await expect(dialog).toBeVisible()
  await dialog.getByRole('button', { name: '提级' }).click()
  await expect(dialog).toContainText('请写明理由')
  await dialog.locator('textarea').fill('村调解两次未果，双方矛盾有激化苗头，由街道综治中心直接处置。')
  await mapIdle(page)
  await page.screenshot({ path: `${screenshots}console-pull-up-zh.png` })
  await dialog.getByRole('button', { name: '提级' }).click()
  await expect(dialog).toBeHidden()
  await expect(detail.getByTestId('centre')).toHaveAttribute('data-code', township)
  await expect(readOnly).toHaveCount(0)
  await expect(detail).toHaveAttribute('data-status', 'reported')

  await detail.locator('[data-action=accept]').click()
  await expect(detail).toHaveAttribute('data-status', 'accepted')
  const after = await get(api, incident.id)
  expect(after).toMatchObject({ status: 'accepted', centreCode: township })
  expect(after.timeline.map((entry) => entry.action)).toEqual(expect.arrayContaining(['pull_up', 'accept']))
  expect(seen.problems).toEqual([])
  expect(seen.foreign).toEqual([])
  await api.dispose()
})
