// What the screen tests share: signing in through the API (the cookie lands in the browser
// context), a watch on console errors, failed responses and requests off the origin, and helpers
// that drive the server through its public API the way another user would.
import { fileURLToPath } from 'node:url'
import { expect, request, type APIRequestContext, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test'

export const screenshots = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
export const password = process.env.DISPATCH_PASSWORD ?? 'Dispatch#2026'
export const baseURL = process.env.DISPATCH_URL ?? 'http://127.0.0.1:5080'

export interface Watch {
  problems: string[]
  foreign: string[]
}

/**
 * Console errors, uncaught exceptions, failed requests and responses ≥ 400, and every request off
 * the page's origin — from the page and from its service worker (the context sees both).
 * `tolerate` matches problems a test causes on purpose (a server restart).
 */
export function watch(page: Page, tolerate: RegExp[] = []): Watch {
  const origin = new URL(baseURL).origin
  const result: Watch = { problems: [], foreign: [] }
  const note = (problem: string) => {
    if (!tolerate.some((pattern) => pattern.test(problem))) result.problems.push(problem)
  }
  page.on('console', (message) => {
    if (message.type() === 'error') note(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => note(`page error: ${error.message}`))
  page.context().on('request', (req) => {
    const url = new URL(req.url())
    if (url.protocol.startsWith('http') || url.protocol.startsWith('ws')) {
      if (url.host !== new URL(origin).host) result.foreign.push(url.href)
    }
  })
  page.on('requestfailed', (req) => {
    const path = new URL(req.url()).pathname
    // MapLibre cancels the tiles it no longer needs when the view moves on: not a failure.
    if (path.startsWith('/tiles/') && req.failure()?.errorText === 'net::ERR_ABORTED') return
    note(`failed: ${req.method()} ${path} ${req.failure()?.errorText}`)
  })
  page.on('response', (response) => {
    if (response.status() >= 400) note(`HTTP ${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`)
  })
  return result
}

/** Signs the browser context in (the server's cookie) and returns the user. */
export async function signIn(context: BrowserContext, username: string): Promise<void> {
  const response = await context.request.post('/api/auth/login', { data: { username, password } })
  expect(response.status(), `sign-in of ${username}`).toBe(200)
}

/** An API client of its own (another user, off the browser), with a bearer token. */
export async function apiAs(username: string): Promise<APIRequestContext> {
  const anonymous = await request.newContext({ baseURL })
  const response = await anonymous.post('/api/auth/login', { data: { username, password } })
  expect(response.status(), `sign-in of ${username}`).toBe(200)
  const { token } = (await response.json()) as { token: string }
  await anonymous.dispose()
  return request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } })
}

export interface ServicePoint {
  gridCode: string
  lon: number
  lat: number
}

let servicePoints: ServicePoint[] | null = null

/** Grid service points, in a fixed shuffled order; a test takes fresh ones so tests never share a grid. */
export async function places(api: APIRequestContext, count: number, within = ''): Promise<ServicePoint[]> {
  if (!servicePoints) {
    const body = (await (await api.get('/api/service-points')).json()) as {
      features: { geometry: { coordinates: [number, number] }; properties: { gridCode: string } }[]
    }
    servicePoints = body.features
      .map((f) => ({ gridCode: f.properties.gridCode, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] }))
      .sort((a, b) => hash(a.gridCode) - hash(b.gridCode))
  }
  const taken: ServicePoint[] = []
  for (let i = 0; i < servicePoints.length && taken.length < count; ) {
    const point = servicePoints[i]!
    if (point.gridCode.startsWith(within)) {
      taken.push(point)
      servicePoints.splice(i, 1)
    } else i++
  }
  return taken
}

function hash(text: string): number {
  let h = 2166136261
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0
  return h
}

export interface Incident {
  id: number
  status: string
  version: number
  gridCode: string
  villageCode: string
  townshipCode: string
  /** The responsible 综治中心 (a village's, a township's, a district's code, or the city's 410600): the only one that acts on it. */
  centreCode: string
  centreName: string
  level: string
  assignments: { staffId: number; staffCode: string; status: string }[]
  timeline: { action: string; actor: string }[]
}

export async function report(api: APIRequestContext, at: ServicePoint, description: string, categoryCode = 'safety'): Promise<Incident> {
  const response = await api.post('/api/incidents', { data: { categoryCode, description, lon: at.lon, lat: at.lat, source: 'hotline' } })
  expect(response.status(), await response.text()).toBe(201)
  return (await response.json()) as Incident
}

export const cityCode = '410600'

/** A centre's demo dispatcher: the city's named account, every other centre's `dispatcher-<code>`. */
export function centreDispatcher(centreCode: string): string {
  return centreCode === cityCode ? 'city.dispatcher' : `dispatcher-${centreCode}`
}

const centreApis = new Map<string, Promise<APIRequestContext>>()

/** The API client of a centre's dispatcher, signed in once and kept for the run (never disposed by a test). */
export function asCentre(centreCode: string): Promise<APIRequestContext> {
  const username = centreDispatcher(centreCode)
  let api = centreApis.get(username)
  if (!api) {
    api = apiAs(username)
    api.catch(() => centreApis.delete(username))
    centreApis.set(username, api)
  }
  return api
}

/** Steps a field member takes on their own assignment, and a superior centre's 提级: by whoever `api` is. */
const ownSteps = new Set(['acknowledge', 'decline', 'arrive', 'resolve', 'pull_up'])

/**
 * Takes a step through the API. A dispatcher's step is taken by the incident's responsible centre,
 * whatever `api` is given — only that centre may take it (others get 403); a field member's own
 * steps and a pull-up go through `api`. Escalate and pull_up need a note (the reason): one is given.
 */
export async function step(api: APIRequestContext, incident: Incident, action: string, staffIds?: number[], note = `测试：${action}`): Promise<Incident> {
  const byCentre = !ownSteps.has(action)
  const send = async (actor: APIRequestContext) => actor.post(`/api/incidents/${incident.id}/transitions`, {
    data: { action, staffIds, note },
    headers: { 'If-Match': `"${incident.version}"` },
  })
  let response = await send(byCentre ? await asCentre(incident.centreCode) : api)
  if (byCentre && response.status() === 401) {
    // The kept token outlived its session (a server restart): sign the centre in again, once.
    centreApis.delete(centreDispatcher(incident.centreCode))
    response = await send(await asCentre(incident.centreCode))
  }
  expect(response.status(), `${action}: ${await response.text()}`).toBe(200)
  return (await response.json()) as Incident
}

export async function get(api: APIRequestContext, id: number): Promise<Incident> {
  return (await (await api.get(`/api/incidents/${id}`)).json()) as Incident
}

/** Whom the incident's responsible centre is offered (its own area's staff), one per role. */
export async function recommendedTeam(api: APIRequestContext, id: number): Promise<{ staffId: number; staffCode: string }[]> {
  const incident = (await (await api.get(`/api/incidents/${id}`)).json()) as Incident
  const centre = await asCentre(incident.centreCode)
  const body = (await (await centre.get(`/api/incidents/${id}/recommendations`)).json()) as { recommended: { staffId: number; staffCode: string } | null }[]
  return body.map((r) => r.recommended!).filter(Boolean)
}

/** A phone (390×844, touch) at a GPS position, signed in as `username` to the field app. */
export async function phone(browser: Browser, username: string, at: { lon: number; lat: number }, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    geolocation: { longitude: at.lon, latitude: at.lat, accuracy: 10 },
    permissions: ['geolocation'],
    ...options,
  })
  await signIn(context, username)
  return context
}

/** The responsible centre accepts the incident and dispatches it to its recommended worker: the incident, and who got it. */
export async function dispatchToRecommended(api: APIRequestContext, incident: Incident): Promise<{ incident: Incident; worker: { staffId: number; staffCode: string } }> {
  const accepted = await step(api, incident, 'accept')
  const [worker] = await recommendedTeam(api, accepted.id)
  expect(worker, `a recommended worker for incident ${accepted.id}`).toBeTruthy()
  return { incident: await step(api, accepted, 'dispatch', [worker!.staffId]), worker: worker! }
}

export interface Alert {
  id: number
  detector: string
  level: string
  status: string
  version: number
  observed: number | null
  gridCodes: string[]
  handledBy: string | null
  handledNote: string | null
  taskIncidentId: number | null
  spot: { lon: number; lat: number } | null
  snoozedUntil: string | null
  disposition: string | null
  taskDoneAt: string | null
  taskOutcome: string | null
}

/** A grid no alert has been raised for yet, so that the repeat it is about to get is a new alert. */
export async function freshPlace(api: APIRequestContext): Promise<ServicePoint> {
  for (;;) {
    const [at] = await places(api, 1)
    // By village: an alert over several grids belongs to their village.
    const alerts = (await (await api.get(`/api/alerts?regionCode=${at!.gridCode.slice(0, 12)}&pageSize=200`)).json()) as { items: Alert[] }
    if (alerts.items.some((a) => a.gridCodes.includes(at!.gridCode))) continue
    // No report within 300 m: one of the same category within 200 m would make a new one its duplicate.
    const near = (await (await api.get(`/api/incidents?regionCode=${at!.gridCode.slice(0, 9)}&pageSize=200`)).json()) as { items: { lon: number; lat: number }[] }
    if (!near.items.some((i) => metres(i, at!) < 300)) return at!
  }
}

/** Distance on the sphere, near enough at Hebi's scale. */
function metres(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180
  const x = (b.lon - a.lon) * rad * Math.cos(((a.lat + b.lat) / 2) * rad)
  const y = (b.lat - a.lat) * rad
  return 6371e3 * Math.hypot(x, y)
}

/**
 * Reports at one fresh place (a yellow alert; five: orange), then a scoring run: its repeat-place
 * alert. Four by default — at a place with no reports in the 8 weeks before, three in a week happen
 * somewhere in the city every fortnight by chance and are no alarm (docs/early-warning.md); four
 * are. Different categories: the same one nearby would count as a duplicate.
 */
export async function repeatAt(admin: APIRequestContext, at: ServicePoint, prefix: string, times: 4 | 5 = 4): Promise<Alert> {
  const reports: [string, string][] = [
    ['dispute.neighbour', '两户邻居因噪音再次争吵，一方扬言报复。'],
    ['safety', '楼道堆放杂物堵塞消防通道，多次劝说无效。'],
    ['order', '夜间有人在楼下聚集喝酒吵闹，居民无法休息。'],
    ['service', '楼下污水井反复堵塞外溢，居民多次投诉。'],
    ['dispute.land', '两户因院墙边界再起争执，一方推倒围墙。'],
  ]
  for (const [category, text] of reports.slice(0, times)) await report(admin, { ...at, lon: at.lon + Math.random() * 1e-5 }, `${prefix}${text}`, category)
  const score = await admin.post('/api/alerts/score')
  expect(score.status(), await score.text()).toBe(200)
  // By village: a report of another grid within 50 m joins the repeat, and the alert is then the village's.
  const body = (await (await admin.get(`/api/alerts?regionCode=${at.gridCode.slice(0, 12)}&status=raised&pageSize=200`)).json()) as { items: Alert[] }
  const alert = body.items.find((a) => a.detector === 'repeat-place' && a.gridCodes.includes(at.gridCode))
  expect(alert, `a repeat-place alert for grid ${at.gridCode}`).toBeTruthy()
  return alert!
}

/**
 * Records the alarms a page raises — tones started on WebAudio and vibrations — in `window.__alarms`.
 * Observed, not replaced: the page really plays and vibrates.
 */
export async function observeAlarms(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const alarms = { tones: 0, vibrations: [] as unknown[] }
    Object.assign(window, { __alarms: alarms })
    const start = OscillatorNode.prototype.start
    OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<OscillatorNode['start']>) {
      alarms.tones += 1
      return start.apply(this, args)
    }
    const vibrate = navigator.vibrate?.bind(navigator)
    navigator.vibrate = (pattern: VibratePattern) => {
      alarms.vibrations.push(pattern)
      return vibrate ? vibrate(pattern) : false
    }
  })
}

export function alarms(page: Page): Promise<{ tones: number; vibrations: unknown[] }> {
  return page.evaluate(() => (window as unknown as { __alarms: { tones: number; vibrations: unknown[] } }).__alarms)
}

/** Waits until the screen's hub client is live (resumed, state loaded). */
export async function live(page: Page, timeout = 60_000): Promise<void> {
  await expect(page.getByTestId('connection').first()).toHaveAttribute('data-state', 'live', { timeout })
}

export async function mapIdle(page: Page, timeout = 90_000): Promise<void> {
  await expect(page.getByTestId('map')).toHaveAttribute('data-map-idle', 'true', { timeout })
}

/** Whether the map's incident source holds the incident (clustered or not). */
export function onMap(page: Page, id: number): Promise<boolean> {
  return page.evaluate(async (wanted) => {
    const source = window.__map?.getSource('incidents') as unknown as { getData(): Promise<{ features: { properties: { id: number } }[] }> } | undefined
    if (!source) return false
    const data = await source.getData()
    return data.features.some((f) => f.properties.id === wanted)
  }, id)
}
