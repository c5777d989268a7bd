import { fileURLToPath } from 'node:url'
import { expect, test, type Page } from '@playwright/test'

const screenshots = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
const labelLayers = ['district-label', 'township-label', 'village-label', 'service-point-label']

/** Console errors, uncaught exceptions, failed responses and every request off the page's origin. */
function watch(page: Page, origin: string) {
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('request', (request) => {
    const url = new URL(request.url())
    if (url.protocol.startsWith('http') && url.origin !== origin) problems.push(`foreign request: ${url.href}`)
  })
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`))
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`)
  })
  return problems
}

/** Waits until MapLibre has drawn everything it asked for (the page flags its `idle` event). */
async function mapIdle(page: Page) {
  await expect(page.getByTestId('map')).toHaveAttribute('data-map-idle', 'true', { timeout: 90_000 })
}

function renderedCount(page: Page, layers: string[]) {
  return page.evaluate((ids) => window.__map!.queryRenderedFeatures({ layers: ids }).length, layers)
}

test('home shows Hebi with Chinese labels, and a clicked grid names its regions', async ({ page, baseURL }) => {
  const problems = watch(page, new URL(baseURL!).origin)
  await page.goto('/')
  await expect(page.locator('h1')).toHaveText('鹤壁市域社会治理 指挥调度平台')
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

test('home switches to English', async ({ page, baseURL }) => {
  const problems = watch(page, new URL(baseURL!).origin)
  await page.goto('/')
  await page.locator('button[data-locale="en"]').click()
  await expect(page.locator('h1')).toHaveText('Hebi Social Governance Dispatch')
  await expect(page.getByTestId('legend')).toContainText('Grid service point')
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await mapIdle(page)
  expect(await renderedCount(page, labelLayers)).toBeGreaterThan(0)
  await page.screenshot({ path: `${screenshots}home-en.png` })

  expect(problems).toEqual([])
})
