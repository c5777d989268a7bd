// Typed access to the server's HTTP API (see docs/API.md). Same origin only: the app is served by
// the server it talks to, and `npm run dev` proxies these paths. The session is an HttpOnly cookie
// the server sets at sign-in, which fetch sends with every same-origin request (tiles included).

export type RegionLevel = 'city' | 'district' | 'township' | 'village' | 'grid'

export interface RegionRef {
  code: string
  name: string
  level: RegionLevel
}

export interface Region extends RegionRef {
  parentCode: string | null
  children: RegionRef[]
}

export interface LocateResult {
  gridCode: string
  villageCode: string
  townshipCode: string
  districtCode: string
}

export type Role = 'admin' | 'dispatcher' | 'supervisor' | 'field' | 'wall' | 'auditor'

export interface User {
  username: string
  displayName: string
  roles: Role[]
  /** The region the account works for: the city, a district, or a field worker's grid. */
  regionCode: string
}

export interface SignInResult {
  /** For clients that cannot use the cookie; in the browser, only the realtime hub may want it. */
  token: string
  expiresAt: string
  user: User
}

/** RFC 9457 problem details; the server writes `title` and `detail` in Chinese. */
export interface ProblemDetails {
  type?: string
  title?: string
  status?: number
  detail?: string
  errors?: Record<string, string[]>
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: ProblemDetails | null,
  ) {
    super(problem?.title ?? `HTTP ${status}`)
    this.name = 'ApiError'
  }
}

// A 401 from any call means the session is gone (expired, or signed out in another tab): one
// listener, set by auth.ts, takes the app back to the sign-in form.
let unauthorized: () => void = () => {}

export function onUnauthorized(listener: () => void): void {
  unauthorized = listener
}

/** For the requests this module does not make itself: the map's tiles. */
export function reportUnauthorized(): void {
  unauthorized()
}

interface Call {
  method?: 'GET' | 'POST'
  json?: unknown
  signal?: AbortSignal
}

async function send(path: string, { method = 'GET', json, signal }: Call = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (json !== undefined) headers['Content-Type'] = 'application/json'
  const body = json === undefined ? null : JSON.stringify(json)
  const response = await fetch(path, { method, headers, body, signal })
  if (response.ok) return response
  if (response.status === 401) unauthorized()
  throw new ApiError(response.status, await readProblem(response))
}

async function readProblem(response: Response): Promise<ProblemDetails | null> {
  if (!(response.headers.get('Content-Type')?.includes('json') ?? false)) return null
  try {
    return (await response.json()) as ProblemDetails
  } catch {
    return null
  }
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await (await send(path, { signal })).json()) as T
}

/** 401 for a wrong name or password; 423 or 429 while the account is locked (`detail` says until when). */
export async function signIn(username: string, password: string): Promise<SignInResult> {
  const response = await send('/api/auth/login', { method: 'POST', json: { username, password } })
  return (await response.json()) as SignInResult
}

export async function signOut(): Promise<void> {
  await send('/api/auth/logout', { method: 'POST' })
}

/** The signed-in user; 401 without a session. */
export function me(signal?: AbortSignal): Promise<User> {
  return getJson<User>('/api/auth/me', signal)
}

export function getRegion(code: string, signal?: AbortSignal): Promise<Region> {
  return getJson<Region>(`/api/regions/${encodeURIComponent(code)}`, signal)
}

/** Which grid, village, township and district contain a point; 422 outside the city. */
export function locate(lon: number, lat: number, signal?: AbortSignal): Promise<LocateResult> {
  const query = new URLSearchParams({ lon: String(lon), lat: String(lat) })
  return getJson<LocateResult>(`/api/locate?${query}`, signal)
}
