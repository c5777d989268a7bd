// 满意度回访: a case reported by phone is closed; its centre's dispatcher finds the call due on the
// console's 回访 tab (the reporter in full), calls, and records 不满意 with the reporter's words — the
// case goes back to the centre (已受理, live on the console and through the API) and the call leaves
// the due list. A grid worker may not record a call (403); an admin reads the reporter masked.
import { expect, test, type APIRequestContext } from '@playwright/test'
import { apiAs, asCentre, centreDispatcher, dispatchToRecommended, freshPlace, get, live, screenshots, signIn, step, watch, type Incident } from './kit'

interface FollowUp {
  id: number
  incidentId: number
  status: string
  result: string | null
  note: string | null
  doneBy: string | null
  centreCode: string
  reporterName: string | null
  reporterPhone: string | null
}

async function followUpsOf(api: APIRequestContext, incidentId: number, status: 'due' | 'done'): Promise<FollowUp[]> {
  const response = await api.get(`/api/follow-ups?status=${status}&pageSize=500`)
  expect(response.status(), await response.text()).toBe(200)
  return ((await response.json()) as { items: FollowUp[] }).items.filter((f) => f.incidentId === incidentId)
}

test('回访: 不满意 reopens the closed case to its centre; the call leaves the due list', async ({ page, context, browser }) => {
  const seen = watch(page)
  const api = await apiAs('city.dispatcher')
  const at = await freshPlace(api)
  // Reported on the hotline with the caller's name and number: closing it schedules the call.
  const reporterPhone = `139${String(Date.now()).slice(-8)}`
  const created = await api.post('/api/incidents', {
    data: { categoryCode: 'safety', description: `回访测试 ${Date.now()}：小区路灯损坏多日，夜间出行不便。`, lon: at.lon, lat: at.lat, source: 'hotline', reporterName: '王秀英', reporterPhone },
  })
  expect(created.status(), await created.text()).toBe(201)
  let incident = (await created.json()) as Incident
  const dispatched = await dispatchToRecommended(api, incident)
  const worker = await apiAs(dispatched.worker.staffCode)
  incident = dispatched.incident
  for (const action of ['acknowledge', 'arrive', 'resolve']) incident = await step(worker, incident, action)
  for (const action of ['verify', 'close']) incident = await step(api, incident, action)
  expect(incident.status).toBe('closed')

  const centre = await asCentre(incident.centreCode)
  const [due] = await followUpsOf(centre, incident.id, 'due')
  expect(due, `a follow-up due for incident ${incident.id}`).toMatchObject({ status: 'due', reporterName: '王秀英', reporterPhone, centreCode: incident.centreCode })
  const masked = `${reporterPhone.slice(0, 3)}****${reporterPhone.slice(-4)}`

  // Neither the grid worker nor an auditor makes calls: both refused, the call still due.
  for (const lesser of [worker, await apiAs('auditor')]) {
    expect((await lesser.get('/api/follow-ups')).status()).toBe(403)
    expect((await lesser.post(`/api/follow-ups/${due!.id}`, { data: { result: 'satisfied' } })).status()).toBe(403)
  }
  expect(await followUpsOf(centre, incident.id, 'due')).toHaveLength(1)

  // An admin does not handle cases: the 回访 tab shows the reporter masked, as the API gives it.
  const adminContext = await browser.newContext()
  await signIn(adminContext, 'admin')
  const adminPage = await adminContext.newPage()
  const adminSeen = watch(adminPage)
  await adminPage.goto('/console')
  await live(adminPage)
  await adminPage.getByTestId('follow-ups-tab').click()
  const adminRow = adminPage.locator(`[data-testid=follow-up-row][data-id="${due!.id}"]`)
  await expect(adminRow.getByTestId('follow-up-reporter')).toHaveText(`王** · ${masked}`)
  await expect(adminPage.getByTestId('follow-up-list')).not.toContainText(reporterPhone)
  expect(adminSeen.problems).toEqual([])
  await adminContext.close()

  // The centre's dispatcher: the call is on the 回访 tab, the reporter in full.
  await signIn(context, centreDispatcher(incident.centreCode))
  await page.goto('/console')
  await live(page)
  const tab = page.getByTestId('follow-ups-tab')
  await expect(tab).toHaveText('回访')
  await tab.click()
  await expect(tab).toHaveAttribute('aria-selected', 'true')
  const list = page.getByTestId('follow-up-list')
  await expect(list).toContainText(/待回访 \d+ 件/)
  const count = Number((await list.locator('.count').textContent())!.match(/\d+/)![0])
  const row = list.locator(`[data-testid=follow-up-row][data-id="${due!.id}"]`)
  await expect(row).toHaveAttribute('data-incident', String(incident.id))
  await expect(row).toContainText(`#${incident.id}`)
  await expect(row).toContainText(/应回访 \d{4}-\d{2}-\d{2}/)
  await expect(row.getByTestId('follow-up-reporter')).toHaveText(`王秀英 · ${reporterPhone}`)

  // A row opens its case: 已结案.
  await row.click()
  const detail = page.getByTestId('detail')
  await expect(detail).toHaveAttribute('data-id', String(incident.id))
  await expect(page.getByTestId('detail-status')).toHaveText('已结案')

  // 记录: 不满意, with what the reporter said.
  await row.getByTestId('follow-up-record').click()
  const dialog = page.locator('.el-dialog', { has: page.getByTestId('follow-up-result') })
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText(`回访事件 #${incident.id}`)
  await expect(dialog.getByTestId('follow-up-dialog-reporter')).toHaveText(`王秀英 · ${reporterPhone}`)
  // Without a result the call is not saved; choosing one answers the message; cancelled, the dialog starts afresh.
  await dialog.getByTestId('follow-up-save').click()
  await expect(dialog.getByTestId('follow-up-problem')).toHaveText('请选择回访结果')
  await dialog.getByTestId('follow-up-result-basic').click()
  await expect(dialog.getByTestId('follow-up-problem')).toHaveCount(0)
  await dialog.getByRole('button', { name: '取消' }).click()
  await expect(dialog).toBeHidden()
  expect(await followUpsOf(centre, incident.id, 'due')).toHaveLength(1)
  await row.getByTestId('follow-up-record').click()
  await expect(dialog).toBeVisible()
  await expect(dialog.getByTestId('follow-up-problem')).toHaveCount(0)
  await dialog.getByTestId('follow-up-result-unsatisfied').click()
  await expect(dialog).toContainText('选择“不满意”将把事件重新交由综治中心处置')
  const note = `路灯修好两天又坏了（${Date.now()}）`
  await dialog.locator('textarea[data-testid=follow-up-note], [data-testid=follow-up-note] textarea').fill(note)
  await page.waitForTimeout(300)
  await page.screenshot({ path: `${screenshots}follow-up-zh.png` })
  await dialog.getByTestId('follow-up-save').click()

  await expect(page.locator('.el-message')).toContainText(`回访不满意，事件 #${incident.id} 已重新交由综治中心处置`)
  await expect(dialog).toBeHidden()
  await expect(row).toHaveCount(0)
  await expect(list.locator('.count')).toHaveText(`待回访 ${count - 1} 件`)
  // The case is back on the centre's desk, live: 已受理, reopened by the platform with the note.
  await expect(detail).toHaveAttribute('data-status', 'accepted')
  await expect(page.getByTestId('detail-status')).toHaveText('已受理')
  await expect(detail.locator('.timeline')).toContainText(`回访不满意（${centreDispatcher(incident.centreCode)}）：${note}`)
  await expect(detail.locator('.timeline .el-timeline-item').first()).toContainText('重开')

  const reopened = await get(api, incident.id)
  expect(reopened).toMatchObject({ status: 'accepted', centreCode: incident.centreCode })
  expect(reopened.timeline.at(-1)).toMatchObject({ action: 'reopen', actor: 'system' })
  expect(await followUpsOf(centre, incident.id, 'due')).toEqual([])
  expect(await followUpsOf(centre, incident.id, 'done')).toEqual([
    expect.objectContaining({ id: due!.id, result: 'unsatisfied', note, doneBy: centreDispatcher(incident.centreCode) }),
  ])
  // Once: a second answer is a conflict.
  expect((await centre.post(`/api/follow-ups/${due!.id}`, { data: { result: 'satisfied' } })).status()).toBe(409)
  // Opened again, the tab no longer lists it.
  await page.getByTestId('tab-queue').click()
  await tab.click()
  await expect(list).toContainText(/待回访 \d+ 件/)
  await expect(list.locator(`[data-testid=follow-up-row][data-id="${due!.id}"]`)).toHaveCount(0)

  expect(seen.problems).toEqual([])
  expect(seen.foreign).toEqual([])
  await api.dispose()
  await worker.dispose()
})
