// 三零创建: a supervisor goes from the assessment board to the 三零 board, reads the headline (three-zero
// villages of all) as the server counts it, switches 本月 / 本季度 / 本年, and sees a village that has
// just had a major accident lose its standing — 未达标 in the table, red on the map — with the accident
// behind it in the drill-down, opened from the table and from the map.
import { expect, test, type APIRequestContext, type Page, type Response } from '@playwright/test'
import { apiAs, freshPlace, report, screenshots, signIn, watch, type ServicePoint } from './kit'

test.use({ viewport: { width: 1920, height: 1080 } })

interface Board {
  period: string
  from: string
  to: string
  totals: { villages: number; zeroVillages: number; petitions: number; majorAccidents: number; criminalCases: number }
  villages: { code: string; name: string; townshipName: string; petitions: number; majorAccidents: number; criminalCases: number; zero: boolean; rank: number }[]
}

async function board(api: APIRequestContext, period = 'month'): Promise<Board> {
  const response = await api.get(`/api/three-zeros?period=${period}`)
  expect(response.status(), await response.text()).toBe(200)
  return (await response.json()) as Board
}

/** A fresh place whose village is still three-zero this year: the accident is the one that breaks it. */
async function zeroVillage(api: APIRequestContext, supervisor: APIRequestContext): Promise<ServicePoint> {
  const year = await board(supervisor, 'year')
  for (let tries = 0; tries < 20; tries++) {
    const at = await freshPlace(api)
    if (year.villages.find((v) => v.code === at.gridCode.slice(0, 12))?.zero) return at
  }
  throw new Error('no fresh place in a three-zero village')
}

/** The board the page asked for, once it answered (period switches answer in their own time). */
function boardAnswer(page: Page, period: string): Promise<Response> {
  return page.waitForResponse((r) => {
    const url = new URL(r.url())
    return url.pathname === '/api/three-zeros' && url.searchParams.get('period') === period && r.status() === 200
  })
}

async function headlineMatches(page: Page, answer: Response): Promise<Board> {
  const shown = (await answer.json()) as Board
  await expect(page.getByTestId('three-zero-totals')).toHaveText(`${shown.totals.zeroVillages} / ${shown.totals.villages}`)
  await expect(page.locator('.controls')).toContainText(`访 ${shown.totals.petitions} · 事 ${shown.totals.majorAccidents} · 案 ${shown.totals.criminalCases}`)
  await expect(page.locator('.controls .range')).toHaveText(`${shown.from} 至 ${shown.to}`)
  return shown
}

test('the 三零 board: headline, periods, a village broken by a major accident in table, drill-down and map', async ({ page, context }) => {
  const seen = watch(page)
  const api = await apiAs('city.dispatcher')
  const supervisor = await apiAs('supervisor')
  const at = await zeroVillage(api, supervisor)
  const villageCode = at.gridCode.slice(0, 12)
  const before = await board(supervisor)
  const village = before.villages.find((v) => v.code === villageCode)!
  expect(village.zero).toBe(true)

  // A traffic accident (事故, priority 1 紧急: major) is filed in the village: it is no longer three-zero.
  const accident = await report(api, at, `三零测试 ${Date.now()}：村口路段两车相撞，一人受伤被困车内。`, 'accident')
  expect(accident.villageCode).toBe(villageCode)
  const after = await board(supervisor)
  expect(after.villages.find((v) => v.code === villageCode)).toMatchObject({ zero: false, majorAccidents: 1 })
  // The city's villages are a fixed set; the accident took one of them off the three-zero count (others may move meanwhile).
  expect(after.totals.villages).toBe(before.totals.villages)
  expect(after.totals.majorAccidents).toBeGreaterThanOrEqual(before.totals.majorAccidents + 1)

  // From the assessment board's link.
  await signIn(context, 'supervisor')
  await page.goto('/assessment')
  // The assessment board has loaded its figures (leaving earlier would cancel its requests).
  await expect(page.getByTestId('kpi-cards').locator('[data-kpi=reported] .value')).toHaveText(/^\d+$/)
  await expect(page.getByTestId('kpi-ranking')).toBeVisible()
  const month = boardAnswer(page, 'month')
  await page.getByTestId('to-three-zeros').click()
  await expect(page).toHaveURL(/\/three-zeros$/)
  await expect(page.locator('.screen-name')).toHaveText('三零创建')
  const shownMonth = await headlineMatches(page, await month)
  expect(shownMonth.totals.villages).toBe(before.totals.villages)
  expect(shownMonth.totals.zeroVillages).toBeLessThan(shownMonth.totals.villages)

  // The village is listed 未达标, its accident counted in 重大事故.
  const table = page.getByTestId('three-zero-villages')
  await expect(table.locator('thead')).toContainText('重大事故')
  const row = table.locator('.el-table__body-wrapper .el-table__row').filter({ has: page.locator('button.link', { hasText: new RegExp(`^${village.name}$`) }) })
    .filter({ hasText: village.townshipName })
  await expect(row).toHaveCount(1)
  await expect(row).toContainText('未达标')
  await expect(row.locator('button.link.bad')).toHaveText(['1'])

  // 重大事故 drills down to the accident; it opens in the console.
  await row.locator('button.link.bad').click()
  const drill = page.getByTestId('three-zero-drill')
  await expect(page.locator('.el-drawer__title')).toHaveText(`${village.name} · 重大事故`)
  await expect(drill.locator('li')).toHaveCount(1)
  await expect(drill.locator('li').first()).toContainText(`#${accident.id} 事故`)
  await expect(drill.locator('li').first()).toContainText('重大事故')
  await expect(drill.getByRole('link')).toHaveAttribute('href', `/console?incident=${accident.id}`)
  await page.keyboard.press('Escape')
  await expect(drill).toBeHidden()

  // The map: village polygons coloured by standing; the village's own polygon is red-standing, and a click on it drills down.
  const map = page.getByTestId('three-zero-map')
  await expect(map).toHaveAttribute('data-map-idle', 'true', { timeout: 90_000 })
  await expect(map.locator('canvas.maplibregl-canvas')).toBeVisible()
  const standing = await page.evaluate(({ code, lon, lat }) => {
    const m = window.__map!
    const drawn = m.queryRenderedFeatures({ layers: ['three-zero-fill'] })
    const point = m.project([lon, lat])
    const here = m.queryRenderedFeatures(point, { layers: ['three-zero-fill'] }).map((f) => f.properties as { code: string; zero: boolean })
    return {
      drawn: drawn.length,
      zero: drawn.filter((f) => f.properties.zero === true).length,
      broken: drawn.filter((f) => f.properties.zero === false).length,
      here,
      x: point.x,
      y: point.y,
      code,
    }
  }, { code: villageCode, lon: at.lon, lat: at.lat })
  expect(standing.drawn, 'village polygons drawn').toBeGreaterThan(10)
  expect(standing.zero, 'three-zero villages drawn').toBeGreaterThan(0)
  expect(standing.broken, 'villages not three-zero drawn').toBeGreaterThan(0)
  expect(standing.here).toContainEqual(expect.objectContaining({ code: villageCode, zero: false }))
  // No focus ring left on the figure the drill-down came back to.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  await page.waitForTimeout(500)
  await page.screenshot({ path: `${screenshots}three-zero-board-zh.png` })

  await map.click({ position: { x: standing.x, y: standing.y } })
  await expect(page.locator('.el-drawer__title')).toHaveText(`${village.name} · 全部`)
  await expect(drill).toContainText(`#${accident.id} 事故`)
  await page.keyboard.press('Escape')
  await expect(drill).toBeHidden()

  // 本季度 and 本年: the headline follows the period; a longer period holds at least the month's accidents.
  const quarter = boardAnswer(page, 'quarter')
  await page.getByTestId('three-zero-period').getByText('本季度').click()
  const shownQuarter = await headlineMatches(page, await quarter)
  expect(shownQuarter.from <= shownMonth.from && shownQuarter.to >= shownMonth.to).toBe(true)
  expect(shownQuarter.totals.majorAccidents).toBeGreaterThanOrEqual(shownMonth.totals.majorAccidents)
  const year = boardAnswer(page, 'year')
  await page.getByTestId('three-zero-period').getByText('本年').click()
  const shownYear = await headlineMatches(page, await year)
  expect(shownYear.from).toMatch(/^\d{4}-01-01$/)
  expect(shownYear.to).toMatch(/^\d{4}-12-31$/)
  expect(shownYear.totals.majorAccidents).toBeGreaterThanOrEqual(shownQuarter.totals.majorAccidents)
  await expect(row).toContainText('未达标')
  await expect(map).toHaveAttribute('data-map-idle', 'true', { timeout: 90_000 })

  expect(seen.problems).toEqual([])
  expect(seen.foreign).toEqual([])
  await api.dispose()
  await supervisor.dispose()
})
