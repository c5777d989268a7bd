// 一评: a district's supervisor opens the risk assessment register in Chinese, registers a project,
// marks it 实施中 without an assessment, sees it flagged 未经评估即实施 and its red alert in the
// console's alert list — checked through the API too.
import { expect, test } from '@playwright/test'
import { apiAs, live, screenshots, signIn, watch } from './kit'

test.use({ viewport: { width: 1600, height: 900 } })

async function choose(page: import('@playwright/test').Page, testid: string, option?: string): Promise<void> {
  await page.getByTestId(testid).click()
  const items = page.getByRole('option').filter({ visible: true })
  await (option ? items.filter({ hasText: option }).first() : items.first()).click()
  await expect(page.getByRole('listbox').filter({ visible: true })).toHaveCount(0)
}

/** Element's input carries the test id on the input itself, or on its wrapper in older versions. */
const field = (page: import('@playwright/test').Page, testid: string) => page.locator(`input[data-testid=${testid}], [data-testid=${testid}] input`)

test('a project carried out without assessment is flagged and raises a red alert', async ({ page, context }) => {
  const seen = watch(page)
  const title = `鹤壁东区安置房建设项目 ${Date.now() % 100000}`
  const api = await apiAs('supervisor-410611')
  // Two entries of the district beside it: one still being planned, one carried out on a conditional pass.
  for (const data of [
    { kindCode: 'utility_pricing', title: '淇滨区居民用水价格调整', regionCode: '410611', responsibleUnit: '淇滨区发展和改革委员会', status: 'assessing' },
    { kindCode: 'public_services_reform', title: '淇滨区人民医院改扩建', regionCode: '410611', responsibleUnit: '淇滨区卫生健康委员会', status: 'in_progress', result: 'conditional', riskLevel: 'medium' },
  ])
    expect((await api.post('/api/risk-assessments', { data })).status()).toBe(201)
  await signIn(context, 'supervisor-410611')
  await page.goto('/assessment')
  await page.getByTestId('assessment-tab').getByText('一评 风险评估台账').click()
  const register = page.getByTestId('risk-register')
  await expect(register).toContainText('未经评估或评估不合格的一律不得实施')

  // Registered as planned: not flagged.
  await page.getByTestId('risk-add').click()
  const dialog = page.getByTestId('risk-dialog')
  await expect(dialog).toContainText('登记重大决策或项目')
  await choose(page, 'risk-kind', '征地拆迁')
  await field(page, 'risk-title').fill(title)
  await choose(page, 'risk-region')
  await field(page, 'risk-unit').fill('淇滨区住房和城乡建设局')
  await expect(page.getByTestId('risk-warning')).toHaveCount(0)
  await page.getByTestId('risk-save').click()
  const row = page.locator('[data-testid=risk-row]', { hasText: title })
  await expect(row).toHaveAttribute('data-flagged', 'false')
  const id = Number(await row.getAttribute('data-id'))

  // 实施中 with the result still 未评估: the dialog warns, the row is flagged, the alert is raised.
  await row.locator('xpath=ancestor::tr').getByTestId('risk-edit').click()
  await expect(dialog).toContainText(`修改项目 #${id}`)
  await choose(page, 'risk-status', '实施中')
  await expect(page.getByTestId('risk-warning')).toContainText('立即发出红色预警')
  await page.getByTestId('risk-save').click()
  await expect(row).toHaveAttribute('data-flagged', 'true')
  await expect(row.getByTestId('risk-flag')).toHaveText('未经评估即实施')
  await expect(page.locator('.el-message')).toHaveCount(0, { timeout: 10_000 }) // the toast gone: the filters show
  await page.screenshot({ path: `${screenshots}risk-register-zh.png` })
  await page.getByTestId('risk-flagged-only').click()
  await expect(page.locator('[data-testid=risk-row][data-flagged=false]')).toHaveCount(0)
  await expect(row).toBeVisible()

  const entry = (await (await api.get(`/api/risk-assessments/${id}`)).json()) as { flagged: boolean; alertId: number; status: string }
  expect(entry).toMatchObject({ flagged: true, status: 'in_progress' })
  const alert = (await (await api.get(`/api/alerts/${entry.alertId}`)).json()) as { level: string; detector: string; title: string }
  expect(alert).toMatchObject({ level: 'red', detector: 'risk-unassessed' })
  expect(alert.title).toContain(title)

  // The console's alert list has it, named as what it is.
  await page.goto('/console')
  await live(page)
  await page.keyboard.press('l')
  const alertRow = page.locator(`[data-testid=alert-row][data-id="${entry.alertId}"]`)
  await expect(alertRow).toBeVisible({ timeout: 15_000 })
  await expect(alertRow).toContainText('未经评估即实施（一评）')
  await expect(alertRow).toHaveAttribute('data-level', 'red')

  expect(seen.problems).toEqual([])
  expect(seen.foreign).toEqual([])
})
