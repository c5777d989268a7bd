// 多部门联动 in the browser: a centre hands a case to 人社 from the console; 人社's account sees
// only that case, signs for it and reports the result; the centre accepts the result.
import { expect, test } from '@playwright/test'
import { apiAs, live, places, report, screenshots, signIn, step, watch } from './kit'

test('a centre hands a wage dispute to a department, which signs for it and reports back', async ({ browser }) => {
  const city = await apiAs('city.dispatcher')
  const [at] = await places(city, 1)
  const filed = await report(city, at!, '部门联动测试：某工地拖欠农民工工资两个月，工人多次讨要未果。', 'dispute.wages')
  const accepted = await step(city, filed, 'accept')
  const centre = accepted.centreCode === '410600' ? 'city.dispatcher' : `dispatcher-${accepted.centreCode}`

  // The centre hands it over in its console.
  const desk = await browser.newContext({ viewport: { width: 1600, height: 900 } })
  await signIn(desk, centre)
  const page = await desk.newPage()
  const seen = watch(page)
  await page.goto(`/console#incident=${accepted.id}`)
  await live(page)
  await page.keyboard.press('Control+k')
  await page.locator('input[data-testid=palette-input], [data-testid=palette-input] input').fill(`#${accepted.id}`)
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('detail')).toHaveAttribute('data-id', String(accepted.id))
  await page.getByTestId('department-handoff').click()
  const dialog = page.locator('.el-dialog:visible')
  await dialog.locator('.el-select').first().click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '人力资源和社会保障局' }).click()
  await dialog.locator('textarea').first().fill('请核实欠薪情况，督促施工单位限期支付。')
  await dialog.locator('button.el-button--primary').last().click()
  const task = page.getByTestId('department-task').first()
  await expect(task).toHaveAttribute('data-status', 'assigned')

  // 人社 sees the case, signs for it and reports.
  const dept = await browser.newContext({ viewport: { width: 1600, height: 900 } })
  await signIn(dept, 'dept-renshe')
  const deptPage = await dept.newPage()
  await deptPage.goto('/console')
  await live(deptPage)
  await deptPage.keyboard.press('Control+k')
  await deptPage.locator('input[data-testid=palette-input], [data-testid=palette-input] input').fill(`#${accepted.id}`)
  await deptPage.keyboard.press('Enter')
  await expect(deptPage.getByTestId('detail')).toHaveAttribute('data-id', String(accepted.id))
  await deptPage.getByTestId('department-accept').click()
  await expect(deptPage.getByTestId('department-task').first()).toHaveAttribute('data-status', 'accepted')
  await deptPage.getByTestId('department-report').click()
  await deptPage.locator('.el-message-box textarea, .el-message-box input').first().fill('已责令施工单位于本月 10 日前足额支付，劳动监察大队跟踪。')
  await deptPage.locator('.el-message-box .el-button--primary').click()
  await expect(deptPage.getByTestId('department-task').first()).toHaveAttribute('data-status', 'reported')

  // The centre's open case shows the department's answer live (no reload), and the centre accepts it.
  await expect(page.getByTestId('department-task').first()).toHaveAttribute('data-status', 'reported')
  await page.getByTestId('department-verify').click()
  await expect(page.getByTestId('department-task').first()).toHaveAttribute('data-status', 'verified')
  await page.getByTestId('department-panel').screenshot({ path: `${screenshots}console-department-zh.png` })
  expect(seen.problems).toEqual([])
  await desk.close()
  await dept.close()
  await city.dispose()
})
