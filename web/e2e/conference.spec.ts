// 一评四会 in the console: a village escalates a neighbour dispute to its township; the township's
// 综治联席会 finds it on the agenda with the village's reason and hands it down (交办) with
// instructions and a deadline; the village works it and reports it done (API, as the village and
// its team); the conference then shows the hand-down reported, and its minutes end it.
import { expect, test, type APIRequestContext } from '@playwright/test'
import { apiAs, centreDispatcher, freshPlace, get, live, mapIdle, recommendedTeam, report, screenshots, signIn, step, watch, type Incident } from './kit'

/** A datetime input's value in Beijing time (the console's), `days` from now. */
function beijingInput(days: number): string {
  return new Date(Date.now() + days * 86400_000 + 8 * 3600_000).toISOString().slice(0, 16)
}

test('一评四会: the township conference hands an escalated case down, the village reports it done, the minutes end it', async ({ page, context }) => {
  const seen = watch(page)
  const api = await apiAs('city.dispatcher')
  const at = await freshPlace(api)
  let incident = await report(api, at, '会议测试：两户邻居因楼上卫生间漏水反复争吵，一方堵住对方家门。', 'dispute.neighbour')
  expect(incident.centreCode, "the village's centre is responsible").toBe(incident.villageCode)
  const village = incident.centreName
  const township = incident.townshipCode
  const reason = '村说事评理会调解两次未果，双方均要求上级出面，提请街道综治联席会研究。'
  incident = await step(api, incident, 'escalate', undefined, reason)
  expect(incident).toMatchObject({ status: 'escalated', centreCode: township })

  await signIn(context, centreDispatcher(township))
  await page.goto('/console')
  await live(page)
  await page.getByTestId('conference-tab').click()
  await expect(page.getByTestId('conference-list')).toBeVisible()

  // 召集会议: the title left to the server, three attendees.
  await page.getByTestId('conference-new').click()
  await page.locator('textarea[data-testid=conference-new-attendees], [data-testid=conference-new-attendees] textarea').fill('街道综治中心主任，司法所所长、派出所所长')
  await page.getByTestId('conference-new-save').click()
  const conference = page.getByTestId('conference')
  await expect(conference).toHaveAttribute('data-status', 'planned')
  await expect(conference).toContainText('综治联席会')
  await expect(conference.getByTestId('conference-attendees')).toHaveText('街道综治中心主任、司法所所长、派出所所长')
  const conferenceId = await conference.getAttribute('data-id')
  await expect(page.locator(`[data-testid=conference-row][data-id="${conferenceId}"]`)).toContainText('待召开')

  // The case is on the agenda, with who sent it up and why.
  const item = conference.locator(`[data-testid=agenda-item][data-id="${incident.id}"]`)
  await expect(item).toHaveAttribute('data-decision', '')
  await expect(item).toContainText('邻里纠纷')
  await expect(item.getByTestId('agenda-origin')).toHaveText(`由${village}综治中心上报：${reason}`)

  // 交办: not without instructions; with them and a deadline five days ahead.
  await item.getByTestId('decide-hand-down').click()
  const dialog = page.getByTestId('decision-dialog')
  await expect(dialog).toBeVisible()
  await dialog.getByTestId('decision-save').click()
  await expect(dialog.getByTestId('decision-problem')).toHaveText('请写明会议的决定意见')
  const instructions = '交村说事评理会组织双方现场查看漏水原因，司法所派员指导，五日内办结。'
  const deadline = beijingInput(5)
  await dialog.locator('textarea[data-testid=decision-note], [data-testid=decision-note] textarea').fill(instructions)
  await dialog.getByTestId('decision-deadline').fill(deadline)
  await dialog.getByTestId('decision-save').click()
  await expect(dialog).toBeHidden()
  await expect(item).toHaveAttribute('data-decision', 'hand_down')
  await expect(item.getByTestId('agenda-decision')).toContainText(instructions)
  const handDown = item.getByTestId('hand-down')
  await expect(handDown).toHaveAttribute('data-status', 'open')
  await expect(handDown).toContainText('待办结')
  await expect(handDown).toContainText(`交办${village}综治中心`)
  await expect(item.locator('[data-testid^=decide-]')).toHaveCount(0)
  await mapIdle(page)
  await page.screenshot({ path: `${screenshots}console-conference-zh.png` })

  // The deadline reached the server as the instant typed, in Beijing time.
  const townshipApi = await apiAs(centreDispatcher(township))
  const open = (await (await townshipApi.get('/api/hand-downs?status=open')).json()) as { incidentId: number; toCentre: string; deadline: string }[]
  const handed = open.find((h) => h.incidentId === incident.id)
  expect(handed?.toCentre).toBe(incident.villageCode)
  expect(Date.parse(handed!.deadline)).toBe(Date.parse(`${deadline}:00+08:00`))

  // The village works it: its team dispatched, every member acknowledges, on scene, resolved; then 交办办结.
  incident = await get(api, incident.id)
  expect(incident).toMatchObject({ status: 'accepted', centreCode: incident.villageCode })
  const team = await recommendedTeam(api, incident.id)
  expect(team.length, 'a recommended team').toBeGreaterThan(0)
  incident = await step(api, incident, 'dispatch', team.map((member) => member.staffId))
  const workers: APIRequestContext[] = []
  for (const member of incident.assignments.filter((a) => a.status === 'pending')) {
    const worker = await apiAs(member.staffCode)
    workers.push(worker)
    incident = await step(worker, incident, 'acknowledge')
  }
  expect(incident.status).toBe('acknowledged')
  for (const action of ['arrive', 'resolve']) incident = await step(workers[0]!, incident, action)
  expect(incident.status).toBe('resolved')
  const doneReport = '双方已达成协议：楼上住户三日内维修防水层，楼下损失由其赔偿。'
  const returned: Incident = await step(api, incident, 'report_done', undefined, doneReport)
  expect(returned).toMatchObject({ status: 'resolved', centreCode: township })

  // Back at the conference: the hand-down is reported done, with the report.
  await page.reload()
  await live(page)
  await page.getByTestId('conference-tab').click()
  await page.locator(`[data-testid=conference-row][data-id="${conferenceId}"]`).click()
  await expect(conference).toHaveAttribute('data-id', conferenceId!)
  await expect(handDown).toHaveAttribute('data-status', 'reported')
  await expect(handDown).toContainText('已报告办结')
  await expect(handDown).toContainText(doneReport)

  // The minutes end it.
  await conference.locator('textarea[data-testid=minutes], [data-testid=minutes] textarea').fill('会议研究了村上报的邻里纠纷一件，决定交办村说事评理会处理，限五日内办结。')
  await conference.getByTestId('minutes-save').click()
  await expect(conference).toHaveAttribute('data-status', 'held')
  await expect(conference.getByTestId('conference-status')).toHaveText('已召开')
  await expect(conference.getByTestId('minutes-text')).toContainText('交办村说事评理会处理')
  await expect(conference.getByTestId('minutes')).toHaveCount(0)
  await expect(page.locator(`[data-testid=conference-row][data-id="${conferenceId}"]`)).toContainText('已召开')

  expect(seen.problems).toEqual([])
  expect(seen.foreign).toEqual([])
  for (const worker of workers) await worker.dispose()
  await townshipApi.dispose()
  await api.dispose()
})
