import { HttpError } from '@microsoft/signalr'
import { describe, expect, it, vi } from 'vitest'
import type { LiveEvent } from './events'
import { RealtimeClient, type ConnectionState, type HubLike } from './realtime'
import { CappedBackoff } from './retry'

/** A hub that the test drives: it records Resume calls and lets the test push events and drops. */
class FakeHub implements HubLike {
  handlers = new Map<string, (...args: never[]) => void>()
  reconnecting?: () => void
  reconnected?: () => void
  closed?: () => void
  resumes: (number | null)[] = []
  /** Highest seq the "server" has; Resume answers with it. */
  serverSeq = 0
  /** Events the server replays on Resume(n): those with seq > n. */
  history: LiveEvent[] = []
  /** Fail this many start() calls before succeeding. */
  failStarts = 0
  startError: Error = new Error('connection refused')
  started = 0
  /** Events to send while Resume is being answered (live traffic racing the answer). */
  duringResume: LiveEvent[] = []

  on(method: string, handler: (...args: never[]) => void) {
    this.handlers.set(method, handler)
  }
  onreconnecting(callback: () => void) {
    this.reconnecting = callback
  }
  onreconnected(callback: () => void) {
    this.reconnected = callback
  }
  onclose(callback: () => void) {
    this.closed = callback
  }
  async start() {
    this.started++
    if (this.failStarts > 0) {
      this.failStarts--
      throw this.startError
    }
  }
  async stop() {}
  async invoke<T>(method: string, ...args: unknown[]): Promise<T> {
    expect(method).toBe('Resume')
    const from = args[0] as number | null
    this.resumes.push(from)
    // A careless server: it replays the boundary event too (seq ≥ from), which the client must drop.
    if (from !== null) for (const e of this.history.filter((h) => h.seq >= from)) this.push(e)
    for (const e of this.duringResume.splice(0)) this.push(e)
    return { seq: this.serverSeq } as T
  }
  push(event: LiveEvent) {
    ;(this.handlers.get('event') as unknown as (e: LiveEvent) => void)(event)
  }
  resync() {
    ;(this.handlers.get('resync') as unknown as (reason: string) => void)('behind')
  }
}

function created(seq: number, id = seq): LiveEvent {
  return {
    seq,
    type: 'incident.created',
    at: '2026-11-28T12:00:00+08:00',
    data: {
      id, status: 'reported', categoryCode: 'safety', categoryName: '安全隐患', priority: 2, description: `#${id}`,
      lon: 114.3, lat: 35.7, gridCode: '410611001001001', villageCode: '410611001001', townshipCode: '410611001',
      districtCode: '410611', level: 'township', centreCode: '410611001', version: 1, createdAt: '2026-11-28T12:00:00+08:00',
      updatedAt: '2026-11-28T12:00:00+08:00', dueAt: null,  warnAt: null, supervised: false, duplicateOf: null, action: 'report', actor: 'test',
    },
  }
}

function setup(hub = new FakeHub()) {
  const seen: number[] = []
  const states: ConnectionState[] = []
  const reload = vi.fn(async () => {})
  const sleeps: number[] = []
  const onUnauthorized = vi.fn()
  const client = new RealtimeClient({
    hub: () => hub,
    onEvent: (e) => seen.push(e.seq),
    reload,
    onState: (s) => states.push(s),
    onUnauthorized,
    retry: new CappedBackoff(500, 10_000, () => 0.5),
    sleep: async (ms) => void sleeps.push(ms),
  })
  return { hub, client, seen, states, reload, sleeps, onUnauthorized }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('RealtimeClient', () => {
  it('first connect: Resume(null), then the REST reload, then live from the seq it returned', async () => {
    const { hub, client, seen, reload, states } = setup()
    hub.serverSeq = 41
    await client.start()
    expect(hub.resumes).toEqual([null])
    expect(reload).toHaveBeenCalledTimes(1)
    expect(client.lastSeq).toBe(41)
    expect(states.at(-1)).toBe('live')
    hub.push(created(42))
    hub.push(created(44))
    expect(seen).toEqual([42, 44])
    expect(client.lastSeq).toBe(44)
  })

  it('keeps live events that arrive before Resume(null) answers, and the highest seq', async () => {
    const hub = new FakeHub()
    hub.serverSeq = 10
    hub.duringResume = [created(11), created(12)]
    const { client, seen } = setup(hub)
    await client.start()
    expect(seen).toEqual([11, 12])
    expect(client.lastSeq).toBe(12)
  })

  it('a reconnect resumes from the last seq processed: the replay fills the gap, with no reload', async () => {
    const { hub, client, seen, reload, states } = setup()
    hub.serverSeq = 5
    await client.start()
    hub.push(created(6))
    hub.push(created(7))
    hub.reconnecting!()
    expect(states.at(-1)).toBe('reconnecting')
    // While away the server published 8–10; 7 is replayed too by a careless server and dropped.
    hub.history = [created(7), created(8), created(9), created(10)]
    hub.serverSeq = 10
    hub.reconnected!()
    await tick()
    expect(hub.resumes).toEqual([null, 7])
    expect(seen).toEqual([6, 7, 8, 9, 10])
    expect(client.duplicates).toBe(1)
    expect(reload).toHaveBeenCalledTimes(1)
    expect(states.at(-1)).toBe('live')
  })

  it('drops duplicates and stale events defensively', async () => {
    const { hub, client, seen } = setup()
    hub.serverSeq = 100
    await client.start()
    hub.push(created(101))
    hub.push(created(101))
    hub.push(created(99))
    hub.push(created(102))
    expect(seen).toEqual([101, 102])
    expect(client.duplicates).toBe(2)
  })

  it('after a resync and the close that follows: Resume(null) and a fresh reload', async () => {
    const { hub, client, reload } = setup()
    hub.serverSeq = 3
    await client.start()
    hub.push(created(4))
    hub.resync()
    hub.serverSeq = 500
    hub.closed!()
    await tick()
    await tick()
    expect(hub.resumes).toEqual([null, null])
    expect(reload).toHaveBeenCalledTimes(2)
    expect(client.lastSeq).toBe(500)
  })

  it('never gives up: start failures are retried with capped backoff, then it resumes where it was', async () => {
    const { hub, client, sleeps, seen } = setup()
    hub.serverSeq = 1
    await client.start()
    hub.push(created(2))
    // The server went away (restart): the automatic reconnect gave up, the connection closed.
    hub.failStarts = 8
    hub.history = [created(3)]
    hub.serverSeq = 3
    hub.closed!()
    await vi.waitFor(() => expect(hub.resumes).toEqual([null, 2]))
    expect(sleeps).toEqual([500, 1000, 2000, 4000, 8000, 10000, 10000, 10000])
    expect(seen).toEqual([2, 3])
    expect(client.state).toBe('live')
  })

  it('stops and reports a refused session (401) instead of retrying', async () => {
    const hub = new FakeHub()
    hub.failStarts = 1
    hub.startError = new HttpError('Unauthorized', 401)
    const { client, onUnauthorized, sleeps } = setup(hub)
    await client.start()
    expect(onUnauthorized).toHaveBeenCalledTimes(1)
    expect(sleeps).toEqual([])
    expect(client.state).toBe('stopped')
  })
})

describe('CappedBackoff', () => {
  it('grows exponentially to its cap, with jitter, and always answers', () => {
    const policy = new CappedBackoff(500, 10_000, () => 0.5)
    expect([0, 1, 2, 3, 4, 5, 50].map((n) => policy.nextRetryDelayInMilliseconds({ previousRetryCount: n, elapsedMilliseconds: 0, retryReason: new Error() })))
      .toEqual([500, 1000, 2000, 4000, 8000, 10000, 10000])
    expect(new CappedBackoff(500, 10_000, () => 0).delay(30)).toBe(8000)
    expect(new CappedBackoff(500, 10_000, () => 1).delay(30)).toBe(12000)
  })
})
