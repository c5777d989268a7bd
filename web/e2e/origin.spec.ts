// 1e: no request leaves the server's origin on any screen — page, fonts, tiles, hub, service
// worker. Every other test checks the same on its own pages; this one visits each screen plainly.
import { expect, test } from '@playwright/test'
import { apiAs, baseURL, live, mapIdle, places, signIn, watch } from './kit'

const screens: { path: string; user: string; viewport: { width: number; height: number }; map: boolean }[] = [
  { path: '/', user: 'admin', viewport: { width: 1600, height: 900 }, map: true },
  { path: '/wall', user: 'wall', viewport: { width: 1920, height: 1080 }, map: true },
  { path: '/console', user: 'city.dispatcher', viewport: { width: 1600, height: 900 }, map: true },
  { path: '/field', user: '', viewport: { width: 390, height: 844 }, map: false },
]

for (const screen of screens) {
  test(`1e: ${screen.path} makes no request off its origin`, async ({ browser }) => {
    const context = await browser.newContext({ baseURL, viewport: screen.viewport })
    let user = screen.user
    if (!user) {
      const api = await apiAs('city.dispatcher')
      user = `gw-${(await places(api, 1))[0]!.gridCode}`
      await api.dispose()
    }
    await signIn(context, user)
    const page = await context.newPage()
    const seen = watch(page)
    await page.goto(screen.path)
    if (screen.path !== '/') await live(page)
    if (screen.map) await mapIdle(page)
    await page.evaluate(() => document.fonts.ready)
    const requested = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name))
    expect(requested.filter((url) => new URL(url).origin !== new URL(location.href).origin)).toEqual([])
    expect(seen.foreign).toEqual([])
    expect(seen.problems).toEqual([])
    await context.close()
  })
}
