// One typed hub connection per screen, built to docs/live-events.md:
//  - on every (re)connect it calls Resume(lastSeq) with the last seq it processed, so the server
//    replays exactly what was missed; on the first connect and after a `resync` it calls
//    Resume(null) and then reloads what the screen shows from the REST API;
//  - it never gives up (CappedBackoff for the automatic reconnects and for fresh starts after the
//    server closed the connection), and drops any event it has already processed (seq ≤ lastSeq).
// The SignalR connection is injected, so the resume logic is unit-tested with a fake hub.
import {
  HttpError,
  HubConnectionBuilder,
  LogLevel,
  type IHttpConnectionOptions,
  type ILogger,
} from '@microsoft/signalr'
import { hubMethods, hubPath, type LiveEvent, type ResumeResult } from './events'
import { CappedBackoff } from './retry'

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'stopped'

/** The part of @microsoft/signalr's HubConnection this client uses. */
export interface HubLike {
  on(method: string, handler: (...args: never[]) => void): void
  onreconnecting(callback: (error?: Error) => void): void
  onreconnected(callback: (connectionId?: string) => void): void
  onclose(callback: (error?: Error) => void): void
  start(): Promise<void>
  stop(): Promise<void>
  invoke<T>(method: string, ...args: unknown[]): Promise<T>
}

export interface RealtimeOptions {
  /** Each event once, in seq order. */
  onEvent: (event: LiveEvent) => void
  /** Loads the screen's state over REST; runs after Resume(null), so nothing falls in between. */
  reload: () => Promise<void>
  onState?: (state: ConnectionState) => void
  /** The server refused the session (401): the app shows the sign-in form. */
  onUnauthorized?: () => void
  hub?: (retry: CappedBackoff) => HubLike
  retry?: CappedBackoff
  sleep?: (ms: number) => Promise<void>
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export class RealtimeClient {
  /** The last seq processed; null before the first Resume(null) has answered, and after a resync. */
  lastSeq: number | null = null
  state: ConnectionState = 'stopped'
  /** Events dropped as already seen (a defensive count; the server promises there are none). */
  duplicates = 0
  /** REST reloads so far: 1 after the first connect; more only after a resync (or a failed resume). */
  reloads = 0
  private needsReload = true
  private stopped = true
  private connecting: Promise<void> | null = null
  private readonly hub: HubLike
  private readonly retry: CappedBackoff
  private readonly sleep: (ms: number) => Promise<void>

  constructor(private readonly options: RealtimeOptions) {
    this.retry = options.retry ?? new CappedBackoff()
    this.sleep = options.sleep ?? defaultSleep
    this.hub = (options.hub ?? signalrHub)(this.retry)
    this.hub.on(hubMethods.event, (event: LiveEvent) => this.receive(event))
    this.hub.on(hubMethods.resync, () => {
      // The server will close this connection; the next connect starts from a fresh state.
      this.needsReload = true
    })
    this.hub.onreconnecting(() => this.setState('reconnecting'))
    this.hub.onreconnected(() => {
      this.resume().catch(() => {
        // Resume failed on a connection that came back: drop it, onclose starts afresh.
        void this.hub.stop()
      })
    })
    this.hub.onclose(() => {
      if (!this.stopped) void this.connect()
    })
  }

  /** Connects (retrying for ever) and resolves once live the first time. */
  start(): Promise<void> {
    this.stopped = false
    return this.connect()
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.setState('stopped')
    await this.hub.stop()
  }

  private connect(): Promise<void> {
    this.connecting ??= this.connectLoop().finally(() => (this.connecting = null))
    return this.connecting
  }

  private async connectLoop(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      this.setState(this.state === 'stopped' || this.state === 'connecting' ? 'connecting' : 'reconnecting')
      try {
        await this.hub.start()
        await this.resume()
        return
      } catch (error) {
        if (error instanceof HttpError && error.statusCode === 401) {
          this.stopped = true
          this.setState('stopped')
          this.options.onUnauthorized?.()
          return
        }
        await this.hub.stop().catch(() => {})
        if (this.stopped) return
        await this.sleep(this.retry.delay(attempt))
      }
    }
  }

  /** Resume(lastSeq) on a fresh connection; Resume(null) and a REST reload when there is no usable lastSeq. */
  private async resume(): Promise<void> {
    const fresh = this.needsReload || this.lastSeq === null
    if (fresh) this.lastSeq = null
    const from = this.lastSeq
    const result = await this.hub.invoke<ResumeResult>(hubMethods.resume, from)
    // Events may have arrived (live, or replayed) before the answer: keep the highest seq seen.
    this.lastSeq = Math.max(this.lastSeq ?? result.seq, result.seq)
    if (fresh) {
      this.reloads++
      await this.options.reload()
      this.needsReload = false
    }
    this.setState('live')
  }

  private receive(event: LiveEvent): void {
    if (this.lastSeq !== null && event.seq <= this.lastSeq) {
      this.duplicates++
      return
    }
    this.lastSeq = event.seq
    this.options.onEvent(event)
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return
    this.state = state
    this.options.onState?.(state)
  }
}

/**
 * Reconnect failures are expected on a wall that outlives a server restart: they are logged as
 * warnings, not errors (the browser tests fail on console errors, not on these).
 */
const quietLogger: ILogger = {
  log(level, message) {
    if (level >= LogLevel.Warning) console.warn(`[realtime] ${message}`)
  },
}

/** The real connection: same origin, the session cookie (or the bearer token if we have one). */
export function signalrHub(retry: CappedBackoff, token?: () => string | null): HubLike {
  const options: IHttpConnectionOptions = {}
  if (token) options.accessTokenFactory = () => token() ?? ''
  return new HubConnectionBuilder()
    .withUrl(hubPath, options)
    .withAutomaticReconnect(retry)
    .configureLogging(quietLogger)
    .build() as unknown as HubLike
}
