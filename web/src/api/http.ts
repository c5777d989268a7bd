// The HTTP core of the typed API: same-origin fetch with JSON or a form, problem details as
// ApiError, one listener for a lost session, and paging.

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
    /** Seconds from a 429's `Retry-After`: how long the throttle wants the caller to wait. */
    readonly retryAfter: number | null = null,
  ) {
    super(problem?.title ?? `HTTP ${status}`)
    this.name = 'ApiError'
  }
}

// A 401 from any call means the session is gone (expired, or signed out in another tab): one
// listener, set by auth.ts, takes the app back to the sign-in form. A 401 that names a field is
// the answer of a form instead — a wrong code while signed in — and leaves the session alone.
let unauthorized: () => void = () => {}

export function onUnauthorized(listener: () => void): void {
  unauthorized = listener
}

/** For the requests this module does not make itself: the map's tiles. */
export function reportUnauthorized(): void {
  unauthorized()
}

interface Call {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE'
  json?: unknown
  form?: FormData
  headers?: Record<string, string>
  signal?: AbortSignal
}

export async function send(path: string, { method = 'GET', json, form, headers: extra, signal }: Call = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...extra }
  if (json !== undefined) headers['Content-Type'] = 'application/json'
  const body = form ?? (json === undefined ? null : JSON.stringify(json))
  const response = await fetch(path, { method, headers, body, signal })
  if (response.ok) return response
  const problem = await readProblem(response)
  if (response.status === 401 && !problem?.errors) unauthorized()
  throw new ApiError(response.status, problem, retryAfter(response))
}

function retryAfter(response: Response): number | null {
  const seconds = Number(response.headers.get('Retry-After') ?? NaN)
  return response.status === 429 && Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds)) : null
}

async function readProblem(response: Response): Promise<ProblemDetails | null> {
  if (!(response.headers.get('Content-Type')?.includes('json') ?? false)) return null
  try {
    return (await response.json()) as ProblemDetails
  } catch {
    return null
  }
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await (await send(path, { signal })).json()) as T
}


/** Query parameters from an object, leaving out what is undefined. */
export function query(values: object): URLSearchParams {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(values)) if (value !== undefined) params.set(key, String(value))
  return params
}

export interface Page<T> {
  items: T[]
  total: number
  page: number
  pageSize: number
}

/** Every page of a list, up to `limit` rows: the first page says how many there are, the rest come at once. */
export async function allPages<T>(fetchPage: (page: number, pageSize: number) => Promise<Page<T>>, pageSize: number, limit: number): Promise<T[]> {
  const first = await fetchPage(1, pageSize)
  const pages = Math.min(Math.ceil(first.total / pageSize), Math.ceil(limit / pageSize))
  const rest = await Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => fetchPage(i + 2, pageSize)))
  return [first, ...rest].flatMap((page) => page.items)
}
