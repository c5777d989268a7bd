// Typed access to the server's HTTP API (see docs/api.md). Same origin only: the app is served by
// the server it talks to, and `npm run dev` proxies these paths. The session is an HttpOnly cookie
// the server sets at sign-in, which fetch sends with every same-origin request (tiles included).
// Here: sign-in and the geography. The HTTP core and each domain's calls are in api/, re-exported
// here so that screens import one module.
import { getJson, query, send } from './api/http'
import type { SecondFactorChallenge, TwoFactorState } from './api/twoFactor'

export { ApiError, onUnauthorized, reportUnauthorized, type ProblemDetails } from './api/http'
export * from './api/alerts'
export * from './api/conferences'
export * from './api/departments'
export * from './api/followUps'
export * from './api/incidents'
export * from './api/kpis'
export * from './api/mediation'
export * from './api/riskAssessments'
export * from './api/staff'
export * from './api/stats'
export * from './api/supervision'
export * from './api/threeZeros'
export * from './api/twoFactor'
export * from './api/visits'

export type RegionLevel = 'city' | 'district' | 'township' | 'village' | 'grid'

export interface RegionRef {
  code: string
  name: string
  level: RegionLevel
}

export interface Region extends RegionRef {
  parentCode: string | null
  /** [minLon, minLat, maxLon, maxLat]: where a map of the region opens. */
  bbox: [number, number, number, number]
  children: RegionRef[]
}

export interface LocateResult {
  gridCode: string
  villageCode: string
  townshipCode: string
  districtCode: string
}

export type Role = 'admin' | 'dispatcher' | 'supervisor' | 'field' | 'wall' | 'auditor' | 'department'

export interface User {
  username: string
  displayName: string
  roles: Role[]
  /** The region the account works for: the city, a district, or a field worker's grid. */
  regionCode: string
  staffId: number | null
  twoFactor: TwoFactorState
}

export interface SignInResult {
  /** For clients that cannot use the cookie; in the browser, only the realtime hub may want it. */
  token: string
  expiresAt: string
  user: User
}

/**
 * Signed in, or (202) a second step to take. 401 for a wrong name or password; 429 while the
 * throttle makes this account or address wait (`Retry-After`).
 */
export async function signIn(username: string, password: string): Promise<SignInResult | SecondFactorChallenge> {
  const response = await send('/api/auth/login', { method: 'POST', json: { username, password } })
  return (await response.json()) as SignInResult | SecondFactorChallenge
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
  return getJson<LocateResult>(`/api/locate?${query({ lon, lat })}`, signal)
}
