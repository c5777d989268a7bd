// 考核: a supervisor opens the assessment board, reads this month's figures for the city, goes down
// into a district, ranks its townships, and drills one figure down to its incidents — which open
// in the console.
import { expect, test } from '@playwright/test'
import { apiAs, live, places, report, screenshots, signIn, step, watch } from './kit'

test.use({ viewport: { width: 1600, height: 900 } })

test('the assessment board: figures, regions below, a ranking and a drill-down to the console', async ({ page, context }) => {
  const seen = watch(page)
  const api = await apiAs('city.dispatcher')
  // A few cases of this month, accepted by their centres: the board has something to count.
  for (const at of await places(api, 4)) await step(api, await report(api, at, `考核测试 ${Date.now()}：路灯损坏，夜间出行不便。`, 'safety'), 'accept')

  await signIn(context, 'supervisor')
  await page.goto('/assessment')
  const cards = page.getByTestId('kpi-cards')
  await expect(cards.locator('[data-kpi=reported] .value')).toHaveText(/^[1-9]\d*$/)
  await expect(cards.locator('[data-kpi=acceptOnTimeRate] .value')).toHaveText(/%$/)
  // 鹤壁's four districts and counties and its development zone, every one listed (the table's body, not its fixed column's copy).
  await expect(page.getByTestId('kpi-children').locator('.el-table__body-wrapper .el-table__row')).toHaveCount(6)

  // Into the district with the most reports; its townships are ranked.
  await page.getByTestId('kpi-children').locator('.el-table__body-wrapper .el-table__row').first().locator('button.link').first().click()
  await expect(page.getByTestId('trail').locator('button')).toHaveCount(2)
  await expect(page.getByTestId('kpi-ranking').getByTestId('ranked').first()).toBeVisible()
  // Ranked by 受理及时率: the townships that accepted anything this month come first, ranked.
  await page.getByTestId('rank-metric').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '受理及时率' }).click()
  await expect(page.getByTestId('kpi-ranking').getByTestId('ranked').first()).toHaveAttribute('data-rank', '1')
  await page.waitForTimeout(300)
  await page.screenshot({ path: `${screenshots}assessment-zh.png` })

  // The export of what the board shows: a workbook of the district's figures.
  const download = page.waitForEvent('download')
  await page.getByTestId('export-kpis').click()
  expect((await download).suggestedFilename()).toMatch(/^考核指标_.+\.xlsx$/)

  // The month's briefing as the printable page the meeting reads.
  const [briefing] = await Promise.all([context.waitForEvent('page'), page.getByTestId('briefing-page').click()])
  await briefing.waitForLoadState()
  await expect(briefing.locator('h1')).toContainText('研判简报')
  await expect(briefing.locator('table.kpis')).toContainText('按期办结率')
  await briefing.setViewportSize({ width: 900, height: 1400 })
  await briefing.screenshot({ path: `${screenshots}briefing-zh.png`, fullPage: true })
  await briefing.close()

  // 上报 drills down to this month's reports of the district; one opens in the console.
  await cards.locator('[data-kpi=reported]').click()
  const drill = page.getByTestId('kpi-drill')
  const first = drill.getByTestId('kpi-incident').first()
  await expect(first).toBeVisible()
  const id = await first.getAttribute('data-id')
  await page.screenshot({ path: `${screenshots}assessment-drill-zh.png` })
  await first.locator('a').click()
  await expect(page).toHaveURL(new RegExp(`/console\\?incident=${id}$`))
  await live(page)
  await expect(page.getByTestId('detail')).toHaveAttribute('data-id', id!)

  expect(seen.problems).toEqual([])
  expect(seen.foreign).toEqual([])
  await api.dispose()
})
