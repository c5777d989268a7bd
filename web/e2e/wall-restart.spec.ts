// 1c: the server restarts while the wall is showing (a): the wall shows the banner (连接中断，重连中),
// reconnects by itself, and misses nothing — reports made while it was away appear, each once.
// test.sh runs the server under a loop that starts it again when it exits, and tells the test its
// process id in DISPATCH_SERVER_PIDFILE; without it (a server started by hand) the test is skipped.
import { readFileSync } from 'node:fs'
import { expect, test } from '@playwright/test'
import { apiAs, baseURL, live, mapIdle, onMap, places, report, screenshots, signIn, watch } from './kit'

test.use({ viewport: { width: 1920, height: 1080 } })
const pidFile = process.env.DISPATCH_SERVER_PIDFILE

async function ready(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${baseURL}/health/ready`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error('the server did not come back')
}

test('1c: the server restarts under the wall: banner, reconnect, and nothing missed', async ({ page, context }) => {
  test.skip(!pidFile, 'needs DISPATCH_SERVER_PIDFILE (test.sh restarts the server it supervises)')
  test.setTimeout(300_000)
  // While the server is down the hub and the figures fail to load: expected, and only then.
  const seen = watch(page, [/ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE|net::ERR_/, /^failed: /, /WebSocket/, /HTTP 50[23] /])
  await signIn(context, 'wall')
  await page.goto('/wall')
  await live(page)
  await mapIdle(page)

  let api = await apiAs('city.dispatcher')
  const points = await places(api, 4)
  const before = await report(api, points[0]!, '重启前上报：小区消防通道被私家车长期占用。', 'safety')
  await expect(page.locator(`[data-testid=ticker-item][data-id="${before.id}"]`)).toBeVisible({ timeout: 2000 })
  const seqBefore = (await page.evaluate(() => window.__live!.lastSeq))!

  process.kill(Number(readFileSync(pidFile!, 'utf8').trim()), 'SIGTERM')
  await expect(page.getByTestId('lost-banner')).toBeVisible({ timeout: 20_000 })
  await expect(page.getByTestId('lost-banner')).toHaveText('连接中断，重连中…')
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'reconnecting')
  await page.screenshot({ path: `${screenshots}wall-reconnecting-zh.png` })

  // The moment the server is back, before the wall has found it: three reports it must not miss.
  await ready(180_000)
  await api.dispose()
  api = await apiAs('city.dispatcher')
  const during = []
  for (const [i, at] of points.slice(1).entries())
    during.push(await report(api, at, `重启期间上报 ${i + 1}：路口信号灯故障，车辆通行混乱。`, 'order'))

  await expect(page.getByTestId('lost-banner')).toBeHidden({ timeout: 60_000 })
  await live(page)
  for (const incident of during) {
    await expect(page.locator(`[data-testid=ticker-item][data-id="${incident.id}"]`)).toBeVisible({ timeout: 5000 })
    await expect.poll(() => onMap(page, incident.id), { timeout: 5000 }).toBe(true)
  }
  expect(await onMap(page, before.id)).toBe(true)
  const live_ = await page.evaluate(() => {
    const client = window.__live!
    return { lastSeq: client.lastSeq, duplicates: client.duplicates, reloads: client.reloads }
  })
  expect(live_.duplicates).toBe(0)
  expect(live_.lastSeq!).toBeGreaterThan(seqBefore)
  test.info().annotations.push({ type: 'REST reloads (1 = the first load only: the gap was filled by Resume)', description: String(live_.reloads) })
  expect(seen.problems).toEqual([])
  expect(seen.foreign).toEqual([])
  await api.dispose()
})
