// 回访: a dispute mediated to an agreement schedules return visits for its mediator; the mediator
// finds on the phone — with no signal at the door — that the dispute is still alive; the answer
// waits in the phone's outbox, and when the network returns the closed case goes back to the centre.
import { expect, test } from '@playwright/test'
import { apiAs, asCentre, freshPlace, get, live, phone, report, screenshots, step, watch } from './kit'

test('a return visit that finds the dispute alive reopens the closed case', async ({ browser }) => {
  const api = await apiAs('city.dispatcher')
  const at = await freshPlace(api) // a village whose mediator no earlier run left busy
  let incident = await report(api, at, `回访测试 ${Date.now()}：两户邻居因院墙漏水争执，经调解达成协议。`, 'dispute.neighbour')
  incident = await step(api, incident, 'accept')
  const centre = await asCentre(incident.centreCode)
  const team = (await (await centre.get(`/api/incidents/${incident.id}/recommendations`)).json()) as { role: string; recommended: { staffId: number; staffCode: string } | null }[]
  const mediator = team.find((r) => r.role === 'mediator')?.recommended
  expect(mediator, `a recommended mediator for incident ${incident.id}`).toBeTruthy()
  incident = await step(api, incident, 'dispatch', [mediator!.staffId])

  const field = await apiAs(mediator!.staffCode)
  incident = await step(field, incident, 'acknowledge')
  incident = await step(field, incident, 'arrive')
  const mediation = await field.post(`/api/incidents/${incident.id}/mediation`, { data: { outcome: 'agreement', mediatedBy: 'people' } })
  expect(mediation.status(), await mediation.text()).toBe(201)
  incident = await step(field, await get(field, incident.id), 'resolve')
  incident = await step(api, incident, 'verify')
  incident = await step(api, incident, 'close')
  expect(incident.status).toBe('closed')

  const context = await phone(browser, mediator!.staffCode, at)
  const page = await context.newPage()
  // Going offline is noisy by design (the hub and the fetches fail); nothing else may be.
  const seen = watch(page, [/ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_RESET|ERR_FAILED|net::ERR_/, /^failed: /, /WebSocket/])
  await page.goto('/field')
  await live(page)
  const visit = page.locator(`[data-testid=visit][data-incident="${incident.id}"]`).first()
  await expect(visit).toContainText('第 7 天回访')
  await page.screenshot({ path: `${screenshots}field-visits-zh.png` })

  // The mediator is at the households' door with no signal: the answer is kept on the phone…
  await context.setOffline(true)
  await visit.getByTestId('visit-alive').click()
  await page.locator('[data-testid=visit-note] textarea, textarea[data-testid=visit-note]').fill('双方仍因漏水赔偿争吵，需再次调解。')
  await page.locator('.van-dialog__confirm').click()
  await expect(page.locator('.van-toast')).toContainText('保存在手机上')
  await expect(page.locator(`[data-testid=visit][data-incident="${incident.id}"]`)).toHaveCount(1) // the 30-day visit remains
  expect((await get(api, incident.id)).status).toBe('closed')

  // …and sent when the network returns: the case goes back to its centre.
  await context.setOffline(false)
  await expect(page.locator('.van-toast')).toContainText('纠纷仍在', { timeout: 20_000 })
  await expect.poll(async () => (await get(api, incident.id)).status).toBe('accepted')
  await expect(page.locator(`[data-testid=visit][data-incident="${incident.id}"]`)).toHaveCount(1)
  expect(seen.problems).toEqual([])
  expect(seen.foreign).toEqual([])
  await context.close()
  await Promise.all([api.dispose(), field.dispose()])
})
