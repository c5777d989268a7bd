// Intake as a hotline operator takes it, and 督办 in the console. A village's dispatcher files a
// neighbour dispute from a 12345 call — caller, phone, both parties — placed by a click on the map;
// the server holds it as a hotline case with its reporter and two parties. A city supervisor orders
// a village's case supervised; the village's console marks it 「督」 in the queue and badges it in
// the detail, and its 签收 acknowledges the order.
import { expect, test } from '@playwright/test'
import { apiAs, asCentre, centreDispatcher, live, mapIdle, places, report, screenshots, signIn, watch } from './kit'

/** A mobile number no earlier case has: a shared one would link the cases and climb the new one. */
const mobile = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`

test('a village dispatcher files a dispute from a 12345 call with the caller and both parties', async ({ page, context }) => {
  const seen = watch(page)
  const city = await apiAs('city.dispatcher')
  const [at] = await places(city, 1)
  const village = at!.gridCode.slice(0, 12)

  await signIn(context, centreDispatcher(village))
  await page.goto('/console')
  await live(page)
  await mapIdle(page)
  await page.evaluate(([lon, lat]) => window.__map!.jumpTo({ center: [lon!, lat!], zoom: 15 }), [at!.lon, at!.lat])
  await mapIdle(page)

  await page.keyboard.press('n')
  await expect(page.getByTestId('map')).toHaveAttribute('data-picking', 'true')
  const box = (await page.getByTestId('map').boundingBox())!
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
  const dialog = page.getByTestId('new-incident')
  await expect(dialog.getByTestId('new-incident-grid')).toContainText(village)

  await dialog.getByTestId('new-incident-category').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '邻里纠纷' }).first().click()
  await dialog.getByTestId('new-incident-source').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '12345热线' }).first().click()
  await expect(dialog.getByTestId('new-incident-source')).toContainText('12345热线')

  const input = (testId: string) => `input[data-testid=${testId}], [data-testid=${testId}] input`
  const callerPhone = mobile()
  await dialog.locator(input('new-incident-reporter-name')).fill('王秀兰')
  await dialog.locator(input('new-incident-reporter-phone')).fill(callerPhone)
  await dialog.locator('textarea[data-testid=new-incident-description], [data-testid=new-incident-description] textarea')
    .fill('受理测试：来电反映楼上住户装修噪音扰民，双方多次争吵，请求调解。')

  // A dispute shows the parties section; two rows, the applicant and the other side.
  await dialog.getByTestId('new-incident-party-add').click()
  await dialog.getByTestId('new-incident-party-add').click()
  const rows = dialog.getByTestId('new-incident-party')
  await expect(rows).toHaveCount(2)
  const parties = [
    { name: '王秀兰', phone: callerPhone },
    { name: '李建国', phone: mobile() },
  ]
  for (const [i, party] of parties.entries()) {
    await rows.nth(i).locator(input('party-name')).fill(party.name)
    await rows.nth(i).locator(input('party-phone')).fill(party.phone)
  }
  await expect(rows.nth(0).getByTestId('party-role')).toContainText('申请人')
  await expect(rows.nth(1).getByTestId('party-role')).toContainText('被申请人')
  await page.screenshot({ path: `${screenshots}console-intake-zh.png` })
  await dialog.getByTestId('new-incident-save').click()

  const detail = page.getByTestId('detail')
  await expect(detail).toContainText('装修噪音扰民')
  const id = Number(await detail.getAttribute('data-id'))
  await expect(detail.getByTestId('party')).toHaveCount(2)

  // As the village's dispatcher (its handler) reads it: whole.
  const desk = await asCentre(village)
  const incident = (await (await desk.get(`/api/incidents/${id}`)).json()) as { source: string; reporterName: string; reporterPhone: string; categoryCode: string }
  expect(incident).toMatchObject({ source: 'hotline', categoryCode: 'dispute.neighbour', reporterName: '王秀兰', reporterPhone: callerPhone })
  const recorded = (await (await desk.get(`/api/incidents/${id}/parties`)).json()) as { parties: { role: string; name: string; phone: string }[] }
  expect(recorded.parties.map(({ role, name, phone }) => ({ role, name, phone }))).toEqual([
    { role: 'applicant', ...parties[0] },
    { role: 'respondent', ...parties[1] },
  ])
  expect(seen.problems).toEqual([])
  expect(seen.foreign).toEqual([])
  await city.dispose()
})

test('督办: a city supervisor orders a village case supervised; the village console marks it and signs for it (签收)', async ({ page, context }) => {
  const seen = watch(page)
  const city = await apiAs('city.dispatcher')
  const [at] = await places(city, 1)
  const incident = await report(city, at!, '督办测试：小区门口排水沟堵塞，雨天积水没过脚踝，居民反映多次未解决。', 'safety')
  expect(incident.centreCode, "the village's centre is responsible").toBe(incident.villageCode)

  const supervisor = await apiAs('supervisor')
  const note = '群众反映多次，请三日内疏通排水沟并回复来电人。'
  const created = await supervisor.post('/api/supervision-orders', {
    data: { incidentId: incident.id, dueBy: new Date(Date.now() + 3 * 86400_000).toISOString(), note },
  })
  expect(created.status(), await created.text()).toBe(201)
  const order = (await created.json()) as { id: number; status: string }
  expect(order.status).toBe('open')

  await signIn(context, centreDispatcher(incident.villageCode))
  await page.goto('/console')
  await live(page)

  // The queue's 督办 chip lists it, marked 「督」.
  await page.getByTestId('queue-supervised').click()
  const row = page.locator(`[data-testid=queue-row][data-id="${incident.id}"]`)
  await expect(row.getByTestId('supervised-mark')).toHaveText('督')
  await row.click()
  const detail = page.getByTestId('detail')
  await expect(detail).toHaveAttribute('data-id', String(incident.id))
  await expect(detail.getByTestId('supervision-badge')).toHaveText('督办')
  const shown = detail.locator(`[data-testid=supervision-order][data-id="${order.id}"]`)
  await expect(shown).toHaveAttribute('data-status', 'open')
  await expect(shown).toContainText(note)

  await shown.getByTestId('supervision-acknowledge').click()
  await expect(shown).toHaveAttribute('data-status', 'acknowledged')
  await expect(shown.getByTestId('supervision-acknowledge')).toHaveCount(0)
  const orders = (await (await supervisor.get(`/api/supervision-orders?incidentId=${incident.id}`)).json()) as { id: number; status: string; acknowledgedBy: string | null }[]
  expect(orders.find((o) => o.id === order.id)).toMatchObject({ status: 'acknowledged', acknowledgedBy: centreDispatcher(incident.villageCode) })

  await mapIdle(page)
  await page.screenshot({ path: `${screenshots}console-supervision-zh.png` })

  // The 督办 tab: every order of the centre's area, open ones first, this one signed for.
  await page.getByTestId('orders-tab').click()
  const listed = page.locator(`[data-testid=order-row][data-id="${order.id}"]`)
  await expect(listed).toHaveAttribute('data-status', 'acknowledged')
  await page.screenshot({ path: `${screenshots}console-orders-zh.png` })

  // 在岗: the counts open the list of who is on duty in the village, and a filter narrows it.
  await page.getByTestId('duty-summary').click()
  const onDuty = page.getByTestId('duty-list').getByTestId('on-duty')
  await expect(onDuty.first()).toBeVisible()
  const everyone = await onDuty.count()
  await page.getByTestId('duty-list').locator('input').fill('调解')
  await expect.poll(() => onDuty.count()).toBeLessThan(everyone)
  await expect(onDuty.first()).toContainText('调解员')
  await page.waitForTimeout(400) // the popover's entry animation
  await page.screenshot({ path: `${screenshots}console-duty-zh.png` })
  expect(seen.problems).toEqual([])
  expect(seen.foreign).toEqual([])
  await supervisor.dispose()
  await city.dispose()
})
