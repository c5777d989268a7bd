// Where the field outbox keeps its items: IndexedDB, photos as Blobs (localStorage held them as
// base64 within ~5 MB, and a full one threw away the report). One database per phone, one queue
// per user: `queues` holds each user's item keys in order, `items` the items themselves. Every
// change is one transaction, so a report and its photos are kept together or not at all.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import type { OutboxItem } from './outbox'

interface OutboxDB extends DBSchema {
  queues: { key: string; value: string[] }
  items: { key: string; value: OutboxItem }
}

/** Why the phone could not keep an item: its storage is full, or it has none the app may use. */
export class StorageError extends Error {
  constructor(
    readonly reason: 'full' | 'unavailable',
    cause?: unknown,
  ) {
    super(reason === 'full' ? 'storage full' : 'storage unavailable', { cause })
  }
}

export interface OutboxStore {
  /** False when nothing outlives the page (no IndexedDB here): items are only held in memory. */
  readonly durable: boolean
  load(owner: string): Promise<OutboxItem[]>
  /** Stores `put`, forgets `remove` and records the queue's order, all at once; rejects with StorageError. */
  save(owner: string, order: string[], put: OutboxItem[], remove: string[]): Promise<void>
}

function storageError(error: unknown): StorageError {
  const name = error instanceof DOMException ? error.name : ''
  return new StorageError(name === 'QuotaExceededError' ? 'full' : 'unavailable', error)
}

export class IdbOutboxStore implements OutboxStore {
  readonly durable = true
  private constructor(private readonly db: IDBPDatabase<OutboxDB>) {}

  /** Opens the phone's outbox database (the tests give another name for a fresh one). */
  static async open(name = 'dispatch-field'): Promise<IdbOutboxStore> {
    if (typeof indexedDB === 'undefined') throw new StorageError('unavailable')
    try {
      const db = await openDB<OutboxDB>(name, 1, {
        upgrade(db) {
          db.createObjectStore('queues')
          db.createObjectStore('items')
        },
      })
      return new IdbOutboxStore(db)
    } catch (error) {
      throw storageError(error)
    }
  }

  async load(owner: string): Promise<OutboxItem[]> {
    const tx = this.db.transaction(['queues', 'items'])
    const keys = (await tx.objectStore('queues').get(owner)) ?? []
    const items = await Promise.all(keys.map((key) => tx.objectStore('items').get(key)))
    return items.filter((item): item is OutboxItem => !!item)
  }

  async save(owner: string, order: string[], put: OutboxItem[], remove: string[]): Promise<void> {
    try {
      const tx = this.db.transaction(['queues', 'items'], 'readwrite')
      const items = tx.objectStore('items')
      // Errors surface through tx.done (a full disk aborts the transaction): the requests' own are not awaited.
      for (const key of remove) items.delete(key).catch(() => {})
      for (const item of put) items.put(item, item.key).catch(() => {})
      tx.objectStore('queues').put(order, owner).catch(() => {})
      await tx.done
    } catch (error) {
      throw storageError(error)
    }
  }
}

/** The stand-in where the phone has no IndexedDB: the queue lives as long as the page. */
export class MemoryOutboxStore implements OutboxStore {
  readonly durable = false
  private readonly items = new Map<string, OutboxItem>()
  private readonly queues = new Map<string, string[]>()
  async load(owner: string): Promise<OutboxItem[]> {
    return (this.queues.get(owner) ?? []).map((key) => this.items.get(key)!).filter(Boolean)
  }
  async save(owner: string, order: string[], put: OutboxItem[], remove: string[]): Promise<void> {
    for (const key of remove) this.items.delete(key)
    for (const item of put) this.items.set(item.key, item)
    this.queues.set(owner, [...order])
  }
}
