import { fileURLToPath } from 'node:url'
import { expect, test, type Page } from '@playwright/test'

const screenshots = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
const labelLayers = ['district-label', 'township-label', 'village-label', 'service-point-label']
const password = process.env.DISPATCH_PASSWORD ?? 'Dispatch#2026'
const title = '鹤壁市域社会治理 指挥调度平台'

/** The one refusal every first visit meets: the check for a session cookie, before signing in. */
const firstVisit = ['401 /api/auth/me']

/**
 * Console errors, uncaught exceptions, failed responses and every request off the page's origin.
 * `expected` lists the failed responses ("status path") the test means to cause, each allowed once,
 * with the "Failed to load resource" console line Chromium logs for it.
 */
function watch(page: Page, origin: string, expected: string[] = firstVisit) {
  const unmet = [...expected]
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() !== 'error') return
    const status = /status of (\d{3})/.exec(message.text())?.[1]
    const url = message.location().url
    if (status && url && expected.includes(`${status} ${new URL(url).pathname}`)) return
    problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('request', (request) => {
    const url = new URL(request.url())
    if (url.protocol.startsWith('http') && url.origin !== origin) problems.push(`foreign request: ${url.href}`)
  })
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`))
  page.on('response', (response) => {
    if (response.status() < 400) return
    const key = `${response.status()} ${new URL(response.url()).pathname}`
    const index = unmet.indexOf(key)
    if (index >= 0) unmet.splice(index, 1)
    else problems.push(`HTTP ${key}`)
  })
  return problems
}

/** Fills the sign-in form (in Chinese, the first language) and sends it with Enter or the button. */
async function signIn(page: Page, secret = password, how: 'enter' | 'click' = 'enter') {
  await page.getByLabel('用户名', { exact: true }).fill('admin')
  await page.getByLabel('密码', { exact: true }).fill(secret)
  if (how === 'enter') await page.getByLabel('密码', { exact: true }).press('Enter')
  else await page.getByRole('button', { name: '登录', exact: true }).click()
}

/** Waits until MapLibre has drawn everything it asked for (the page flags its `idle` event). */
async function mapIdle(page: Page) {
  await expect(page.getByTestId('map')).toHaveAttribute('data-map-idle', 'true', { timeout: 90_000 })
}

function renderedCount(page: Page, layers: string[]) {
  return page.evaluate((ids) => window.__map!.queryRenderedFeatures({ layers: ids }).length, layers)
}

test('a wrong password is refused in Chinese, with no map, and the right one still gets in', async ({
  page,
  baseURL,
}) => {
  const problems = watch(page, new URL(baseURL!).origin, [...firstVisit, '401 /api/auth/login'])
  await page.goto('/')
  await signIn(page, `${password}-wrong`, 'click')

  const error = page.getByTestId('sign-in-error')
  await expect(error).toBeVisible()
  await expect(error).toHaveText(/[\u4e00-\u9fff]/)
  await expect(page.getByLabel('密码', { exact: true })).toHaveValue('')
  await expect(page.getByLabel('密码', { exact: true })).toBeFocused()
  await expect(page.getByRole('button', { name: '登录', exact: true })).toBeEnabled()
  await expect(page.getByTestId('map')).toHaveCount(0)
  expect(await page.evaluate(() => window.__map)).toBeUndefined()
  const requested = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name))
  expect(requested.filter((url) => new URL(url).pathname.startsWith('/tiles/'))).toEqual([])

  // A success also clears the failure count, so repeated runs never lock the account.
  await signIn(page)
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible()
  await mapIdle(page)

  expect(problems).toEqual([])
})

test('home shows Hebi with Chinese labels, and a clicked grid names its regions', async ({ page, baseURL }) => {
  const problems = watch(page, new URL(baseURL!).origin)
  await page.goto('/')

  const username = page.getByLabel('用户名', { exact: true })
  await expect(username).toBeFocused()
  await expect(page.getByLabel('密码', { exact: true })).toBeVisible()
  await expect(page.getByRole('button', { name: '登录', exact: true })).toBeEnabled()
  await expect(page.locator('h1')).toHaveText(title)
  await page.evaluate(() => document.fonts.ready)
  await page.screenshot({ path: `${screenshots}login-zh.png` })

  await signIn(page)
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible()
  await expect(page.locator('h1')).toHaveText(title)
  // The header names the account and its region; the region's name replaces its code once loaded.
  const user = page.getByTestId('user')
  await expect(user).not.toBeEmpty()
  await expect(user).not.toContainText(/\d{6}/)
  await mapIdle(page)

  const canvas = page.locator('canvas.maplibregl-canvas')
  await expect(canvas).toBeVisible()
  expect((await canvas.boundingBox())!.width).toBeGreaterThan(1500)
  expect(await renderedCount(page, ['district-line'])).toBeGreaterThan(0)
  expect(await renderedCount(page, labelLayers)).toBeGreaterThan(0)
  await page.screenshot({ path: `${screenshots}home-zh.png` })

  // Close enough to see grids and their service points, in the middle of 淇滨区.
  await page.evaluate(() => window.__map!.jumpTo({ center: [114.297, 35.748], zoom: 14.2 }))
  await mapIdle(page)
  expect(await renderedCount(page, ['grid-fill'])).toBeGreaterThan(0)
  expect(await renderedCount(page, ['service-point'])).toBeGreaterThan(0)
  expect(await renderedCount(page, ['service-point-label'])).toBeGreaterThan(0)
  // Labels have no glyph server: MapLibre itself fetched the bundled Noto Sans for the digits
  // in service points' names (src/map/fonts.ts); the page's CSS loads the same file as `css`, not `fetch`.
  const mapFonts = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((entry) => (entry as PerformanceResourceTiming).initiatorType === 'fetch' && entry.name.includes('.woff2'))
      .map((entry) => new URL(entry.name).pathname),
  )
  expect(mapFonts.some((font) => font.includes('noto-sans-latin-400'))).toBe(true)

  const grid = await page.evaluate(() => {
    const map = window.__map!
    const { width, height } = map.getCanvas().getBoundingClientRect()
    const [feature] = map.queryRenderedFeatures([width / 2, height / 2], { layers: ['grid-fill'] })
    return feature?.properties as { code: string; name: string } | undefined
  })
  expect(grid, 'a grid under the centre of the map').toBeTruthy()
  const box = (await canvas.boundingBox())!
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)

  const popup = page.getByTestId('grid-popup')
  await expect(popup).toContainText(grid!.code)
  await expect(popup).toContainText(grid!.name)
  // Names of the village, township and district arrive from /api/regions/{code}.
  await expect(popup).not.toContainText('…')
  await expect(popup.locator('dd')).toHaveCount(4)
  await mapIdle(page)
  await page.screenshot({ path: `${screenshots}home-grid-zh.png` })

  expect(problems).toEqual([])
})

test('home switches to English, and signing out returns to the form', async ({ page, baseURL }) => {
  const problems = watch(page, new URL(baseURL!).origin)
  await page.goto('/')
  await signIn(page)
  // The form has a language switch too: wait for the screen's.
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible()
  await page.locator('button[data-locale="en"]').click()
  await expect(page.locator('h1')).toHaveText('Hebi Social Governance Dispatch')
  await expect(page.getByTestId('legend')).toContainText('Grid service point')
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await mapIdle(page)
  expect(await renderedCount(page, labelLayers)).toBeGreaterThan(0)
  await page.screenshot({ path: `${screenshots}home-en.png` })

  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible()
  await expect(page.getByLabel('Username', { exact: true })).toBeFocused()
  await expect(page.getByTestId('map')).toHaveCount(0)
  // The cookie is gone (this request shares the browser's cookies but is not the page's own).
  expect((await page.request.get('/api/auth/me')).status()).toBe(401)

  expect(problems).toEqual([])
})

test('a session that ends under a screen returns it to the form, ready for the password', async ({ page }) => {
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  await page.goto('/')
  await signIn(page)
  await mapIdle(page)

  // As if the cookie had expired: the next tiles are refused (401), and so would any API call be.
  await page.context().clearCookies()
  await page.evaluate(() => window.__map!.jumpTo({ center: [114.297, 35.748], zoom: 13 }))
  await expect(page.getByTestId('sign-in-error')).toHaveText('登录已过期，请重新登录')
  await expect(page.getByTestId('map')).toHaveCount(0)
  await expect(page.getByLabel('用户名', { exact: true })).toHaveValue('admin')
  await expect(page.getByLabel('密码', { exact: true })).toBeFocused()

  await page.getByLabel('密码', { exact: true }).fill(password)
  await page.getByLabel('密码', { exact: true }).press('Enter')
  await mapIdle(page)
  expect(pageErrors).toEqual([])
})
