// Typed access to the server's HTTP API (see docs/API.md). Same origin only: the app is served by
// the server it talks to, and `npm run dev` proxies these paths.

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

/** RFC 9457 problem details; the server writes `title` in Chinese. */
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

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { headers: { Accept: 'application/json' }, signal })
  if (!response.ok) {
    const isProblem = response.headers.get('Content-Type')?.includes('json') ?? false
    throw new ApiError(response.status, isProblem ? ((await response.json()) as ProblemDetails) : null)
  }
  return (await response.json()) as T
}

export function getRegion(code: string, signal?: AbortSignal): Promise<Region> {
  return getJson<Region>(`/api/regions/${encodeURIComponent(code)}`, signal)
}

/** Which grid, village, township and district contain a point; 422 outside the city. */
export function locate(lon: number, lat: number, signal?: AbortSignal): Promise<LocateResult> {
  const query = new URLSearchParams({ lon: String(lon), lat: String(lat) })
  return getJson<LocateResult>(`/api/locate?${query}`, signal)
}
