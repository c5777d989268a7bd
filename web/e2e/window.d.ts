import type { Map } from 'maplibre-gl'

// The page exposes its map (src/map/map.ts); the tests read it inside page.evaluate.
declare global {
  interface Window {
    __map?: Map
  }
}
