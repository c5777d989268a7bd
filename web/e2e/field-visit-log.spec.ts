// 大走访: a grid worker logs a household visit on the phone (in Chinese) with two problems found,
// turns one into an incident in one step, logs a place, and reads the month's visit log; then a
// supervisor opens the coverage of the worker's village on the assessment board — map and list.
import { expect, test } from '@playwright/test'
import { apiAs, freshPlace, live, phone, screenshots, signIn, watch } from './kit'

test('a visit logged on the phone, a problem made an incident, the log and the coverage board', async ({ browser }) => {
  const api = await apiAs('city.dispatcher')
  const at = await freshPlace(api)
  const gw = `gw-${at.gridCode}`
  const context = await phone(browser, gw, at)
  const page = await context.newPage()
  const seen = watch(page)
  await page.goto('/field')
  await live(page)
  await page.getByTestId('tab-canvass').click()
  await expect(page.getByTestId('canvass')).toContainText('走访登记')

  // A household: its door number, what was learnt, two problems.
  const form = page.getByTestId('canvass-form')
  await form.getByTestId('canvass-key').locator('input').fill('3号楼2单元301')
  await form.getByTestId('canvass-notes').locator('textarea').fill('独居老人，身体状况良好，已告知网格员联系方式。')
  await form.getByTestId('canvass-problem').first().locator('input').fill('楼道堆放杂物，堵塞消防通道')
  await form.getByTestId('canvass-add-problem').click()
  await form.getByTestId('canvass-problem').nth(1).locator('input').fill('楼上夜间噪音扰民')
  await form.getByTestId('canvass-save').click()
  await expect(page.locator('.van-toast')).toContainText('已保存走访')
  const visit = page.locator('[data-testid=canvass-visit]:not([data-id=""])').filter({ hasText: '3号楼2单元301' })
  await expect(visit).toHaveCount(1)
  await expect(visit.getByTestId('canvass-visit-problem')).toHaveCount(2)

  // 转为事件: one step from the problem to an incident at the visit's position.
  await visit.getByTestId('canvass-to-incident').first().click()
  await page.locator('.van-picker__confirm').click()
  await expect(visit.getByTestId('canvass-incident')).toContainText('已转事件 #', { timeout: 20_000 })
  const field = await apiAs(gw)
  const listed = (await (await field.get('/api/visits')).json()) as { items: { id: number; key: string; problems: { incidentId: number | null }[] }[] }
  const logged = listed.items.find((v) => v.key === '3号楼2单元301')!
  expect(logged.problems.map((p) => p.incidentId !== null)).toEqual([true, false])
  const incident = (await (await api.get(`/api/incidents/${logged.problems[0]!.incidentId}`)).json()) as { description: string; gridCode: string }
  expect(incident.description).toContain('楼道堆放杂物')
  expect(incident.gridCode).toBe(at.gridCode)

  // A place, no problems.
  await page.getByTestId('canvass-kind').getByText('场所').click()
  await form.getByTestId('canvass-key').locator('input').fill('村委会便民超市')
  await form.getByTestId('canvass-save').click()
  await expect(page.locator('[data-testid=canvass-visit]:not([data-id=""])').filter({ hasText: '村委会便民超市' })).toHaveCount(1)
  await expect(page.locator('.van-toast')).toBeHidden({ timeout: 10_000 })
  await page.getByTestId('canvass-log').scrollIntoViewIfNeeded()
  await page.screenshot({ path: `${screenshots}field-visit-log-zh.png` })
  expect(seen.problems).toEqual([])
  expect(seen.foreign).toEqual([])
  await context.close()

  // The supervisor goes down to the worker's village and opens its coverage: the grid shows one household visited.
  const desk = await browser.newContext({ viewport: { width: 1600, height: 900 } })
  await signIn(desk, 'supervisor')
  const board = await desk.newPage()
  const watched = watch(board)
  await board.goto('/assessment')
  for (const code of [at.gridCode.slice(0, 6), at.gridCode.slice(0, 9), at.gridCode.slice(0, 12)]) {
    const { name } = (await (await api.get(`/api/regions/${code}`)).json()) as { name: string }
    await board.getByTestId('kpi-children').getByRole('button', { name, exact: true }).click()
    await expect(board.getByTestId('trail')).toContainText(name)
  }
  await board.locator('[data-kpi=visitCoverageRate]').click()
  const coverage = board.getByTestId('visit-coverage')
  await expect(coverage).toHaveAttribute('data-map-idle', 'true', { timeout: 60_000 })
  const gridName = ((await (await api.get(`/api/grids?bbox=${at.lon - 0.0001},${at.lat - 0.0001},${at.lon + 0.0001},${at.lat + 0.0001}`)).json()) as {
    features: { properties: { code: string; name: string } }[]
  }).features.find((f) => f.properties.code === at.gridCode)?.properties.name
  if (gridName) await expect(coverage.getByTestId('coverage-rows')).toContainText(gridName)
  await expect(coverage.getByTestId('coverage-total')).toContainText('已走访户数 1')
  await board.screenshot({ path: `${screenshots}visit-coverage-zh.png` })
  expect(watched.problems).toEqual([])
  await desk.close()

  // An administrator corrects the grid's register from the same list: one household visited of four.
  const office = await browser.newContext({ viewport: { width: 1600, height: 900 } })
  await signIn(office, 'admin')
  const admin = await office.newPage()
  await admin.goto('/assessment')
  for (const code of [at.gridCode.slice(0, 6), at.gridCode.slice(0, 9), at.gridCode.slice(0, 12)]) {
    const { name } = (await (await api.get(`/api/regions/${code}`)).json()) as { name: string }
    await admin.getByTestId('kpi-children').getByRole('button', { name, exact: true }).click()
    await expect(admin.getByTestId('trail')).toContainText(name)
  }
  await admin.locator('[data-kpi=visitCoverageRate]').click()
  const row = admin.getByTestId('coverage-rows').locator('tr', { hasText: gridName ?? at.gridCode }).first()
  await row.getByTestId('coverage-households').locator('input').fill('4')
  await row.getByTestId('coverage-households').locator('input').press('Enter')
  await expect(row).toContainText('25.0%')
  const grid = (await (await api.get(`/api/visits/coverage?regionCode=${at.gridCode.slice(0, 12)}`)).json()) as { rows: { code: string; registeredHouseholds: number }[] }
  expect(grid.rows.find((r) => r.code === at.gridCode)?.registeredHouseholds).toBe(4)
  await office.close()
  await Promise.all([api.dispose(), field.dispose()])
})

test('a visit logged with no signal, and its problem made an incident, wait on the phone and are sent once the network returns', async ({ browser }) => {
  const api = await apiAs('city.dispatcher')
  const at = await freshPlace(api)
  const gw = `gw-${at.gridCode}`
  const context = await phone(browser, gw, at)
  const page = await context.newPage()
  const seen = watch(page, [/ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_RESET|ERR_FAILED|net::ERR_/, /^failed: /, /WebSocket/])
  await page.goto('/field')
  await live(page)
  await page.getByTestId('tab-canvass').click()
  await context.setOffline(true)
  const form = page.getByTestId('canvass-form')
  await form.getByTestId('canvass-key').locator('input').fill('7号院')
  await form.getByTestId('canvass-problem').first().locator('input').fill('院内电动车飞线充电')
  await form.getByTestId('canvass-save').click()
  await expect(page.locator('.van-toast')).toContainText('保存在手机上')
  const waiting = page.getByTestId('canvass-visit').filter({ hasText: '7号院' })
  await expect(waiting).toContainText('待发送')
  await waiting.getByTestId('canvass-to-incident').click()
  await page.locator('.van-picker__confirm').click()
  await expect(waiting).toContainText('转事件待发送')
  const field = await apiAs(gw)
  expect(((await (await field.get('/api/visits')).json()) as { total: number }).total).toBe(0)

  await context.setOffline(false)
  const sent = page.locator('[data-testid=canvass-visit]:not([data-id=""])').filter({ hasText: '7号院' })
  await expect(sent.getByTestId('canvass-incident')).toContainText('已转事件 #', { timeout: 30_000 })
  const listed = (await (await field.get('/api/visits')).json()) as { total: number; items: { problems: { incidentId: number | null }[] }[] }
  expect(listed.total).toBe(1)
  expect(listed.items[0]!.problems[0]!.incidentId).not.toBeNull()
  expect(seen.problems).toEqual([])
  await context.close()
  await Promise.all([api.dispose(), field.dispose()])
})
