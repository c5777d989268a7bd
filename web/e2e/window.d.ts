import type { Map } from 'maplibre-gl'

// The page exposes its map (src/map/map.ts), its hub client (src/live/useLive.ts) and the field
// app's outbox; the tests read them inside page.evaluate.
declare global {
  interface Window {
    __map?: Map
    __live?: { lastSeq: number | null; state: string; duplicates: number; reloads: number }
    __outbox?: { pending: readonly unknown[] }
  }
}
