// The wall in a command centre where nobody touches it: an early-warning alert flashes the screen
// and — once one click has switched sound on, as browsers require — sounds; the screen asks to be
// kept awake; a field worker who goes on duty shows on the wall's map where their phone is.
import { expect, test } from '@playwright/test'
import { alarms, apiAs, freshPlace, live, mapIdle, observeAlarms, phone, places, repeatAt, report, screenshots, signIn, watch } from './kit'

test.use({ viewport: { width: 1920, height: 1080 } })

test('a new alert flashes the wall and sounds once sound is on; an acknowledged one leaves the banner', async ({ page, context }) => {
  const seen = watch(page)
  await observeAlarms(page)
  await signIn(context, 'wall')
  await page.goto('/wall')
  await live(page)

  // Chromium grants the screen wake lock on a click (user activation), as on a real wall's first touch.
  const sound = page.getByTestId('sound-toggle')
  await sound.click()
  await expect(sound).toHaveAttribute('aria-pressed', 'true')
  await expect(sound).toHaveText('声音已启用')
  await expect(page.getByTestId('wake-lock')).toHaveText('屏幕常亮')

  expect((await alarms(page)).tones).toBe(0)

  const admin = await apiAs('admin')
  // Two places each get their fourth report (three at a quiet place are no alarm by chance); one scoring run raises an alert for each.
  const other = await freshPlace(admin)
  for (const category of ['safety', 'order', 'service', 'dispute.neighbour']) await report(admin, { ...other, lon: other.lon + Math.random() * 1e-5 }, '大屏预警测试：同一地点又一起。', category)
  const at = await freshPlace(admin)
  // Orange (five reports), so that the banner — the five most urgent new alerts — shows it whatever
  // else the same run raises (a village's daily count, say) below orange.
  const alert = await repeatAt(admin, at, '大屏预警测试：', 5)
  expect(alert.level).toBe('orange')
  const banner = page.locator(`[data-testid=alerts] [data-id="${alert.id}"]`)
  await expect(banner).toBeVisible({ timeout: 15_000 })
  const others = (await (await admin.get(`/api/alerts?regionCode=${other.gridCode}&status=raised`)).json()) as { total: number }
  expect(others.total, 'the same run raised the other place\'s alert too').toBeGreaterThan(0)
  await expect(banner).toContainText(/同一地点 7 天内 \d+ 起事件/)
  await expect(banner).toHaveClass(new RegExp(alert.level))
  await expect(page.getByTestId('wall')).toHaveClass(/flashing/)
  await page.screenshot({ path: `${screenshots}wall-alert-zh.png` })
  // Three rising beeps (two for blue and yellow) — once for the whole scoring run, however many
  // alerts it raised (a busy day's run raises dozens; the wall does not sound dozens of times).
  await expect.poll(async () => (await alarms(page)).tones).toBe(3)
  await page.waitForTimeout(6000)
  expect((await alarms(page)).tones).toBe(3)
  // The flashing stops by itself: a wall is not left blinking for days.
  await expect(page.getByTestId('wall')).not.toHaveClass(/flashing/, { timeout: 15_000 })

  const acknowledged = await admin.post(`/api/alerts/${alert.id}/transitions`, { data: { action: 'acknowledge' }, headers: { 'If-Match': `"${alert.version}"` } })
  expect(acknowledged.status(), await acknowledged.text()).toBe(200)
  await expect(banner).toHaveCount(0, { timeout: 5000 })

  expect(seen.problems).toEqual([])
  expect(seen.foreign).toEqual([])
  await admin.dispose()
})

test('a field worker who goes on duty shows on the wall where the phone is', async ({ page, context, browser }) => {
  const seen = watch(page)
  await signIn(context, 'wall')
  await page.goto('/wall')
  await live(page)
  await mapIdle(page)

  const api = await apiAs('city.dispatcher')
  const [at] = await places(api, 1)
  // Somewhere in the grid, not on the service point where everyone starts.
  const fix = { lon: at!.lon + 0.0004 + Math.random() * 1e-4, lat: at!.lat - 0.0003 }
  const worker = await phone(browser, `gw-${at!.gridCode}`, fix)
  const field = await worker.newPage()
  const fieldSeen = watch(field)
  await field.goto('/field')
  await live(field)
  await field.locator('.van-tabbar-item', { hasText: '我的' }).click()
  const duty = field.getByTestId('duty')
  if ((await duty.getAttribute('aria-checked')) !== 'true') await duty.click()
  await expect(duty).toHaveAttribute('aria-checked', 'true')

  // staff.location reaches the wall live and lands in its map's staff layer at the phone's fix.
  const onWall = () =>
    page.evaluate(async ({ lon, lat }) => {
      const source = window.__map?.getSource('staff') as unknown as { getData(): Promise<{ features: { geometry: { coordinates: [number, number] } }[] }> } | undefined
      const data = await source?.getData()
      return (data?.features ?? []).some((f) => Math.abs(f.geometry.coordinates[0] - lon) < 1e-6 && Math.abs(f.geometry.coordinates[1] - lat) < 1e-6)
    }, fix)
  await expect.poll(onWall, { timeout: 20_000 }).toBe(true)

  expect(seen.problems).toEqual([])
  expect(fieldSeen.problems).toEqual([])
  expect([...seen.foreign, ...fieldSeen.foreign]).toEqual([])
  await worker.close()
  await api.dispose()
})
