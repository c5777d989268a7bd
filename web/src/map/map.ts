import * as maplibregl from 'maplibre-gl'
import 'maplibre-gl/dist/maplibre-gl.css'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'
import { reportUnauthorized } from '../api'
import { cjkFontFamilies } from './fonts'
import { hebiBounds } from './layers'
import { buildStyle } from './style'

// After a Vite build MapLibre cannot find its worker by itself ("Worker failed to load"):
// Vite emits the worker module as a file of its own, and this is its URL.
maplibregl.setWorkerUrl(workerUrl)

declare global {
  interface Window {
    /** The home map, for the browser tests and for a look from the console. */
    __map?: maplibregl.Map
  }
}

/** A map of Hebi fitted to the city, drawn from our own tiles only. */
export interface MapOptions {
  /** Zoom buttons and scale bar; a wall display has no hand to use them. */
  controls?: boolean
}

export function createMap(container: HTMLElement, padding: maplibregl.PaddingOptions, { controls = true }: MapOptions = {}): maplibregl.Map {
  const basemapUrl = import.meta.env.VITE_BASEMAP_URL
  const map = new maplibregl.Map({
    container,
    style: buildStyle({
      origin: window.location.origin,
      basemapUrl,
      basemapAttribution: import.meta.env.VITE_BASEMAP_ATTRIBUTION,
    }),
    bounds: hebiBounds,
    fitBoundsOptions: { padding },
    // Room to pan around the city, no further: there is nothing to see outside it.
    maxBounds: [hebiBounds[0] - 0.6, hebiBounds[1] - 0.45, hebiBounds[2] + 0.6, hebiBounds[3] + 0.45],
    minZoom: 7,
    maxZoom: 18,
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    // Our data needs no credit line; a base map, if configured, brings its own.
    attributionControl: basemapUrl ? { compact: true } : false,
    // Only consulted for labels in MapLibre's default font stack; ours name these families too.
    localIdeographFontFamily: cjkFontFamilies.map((family) => `'${family}'`).join(', ') + ', sans-serif',
  })
  // Tiles are authorised by the session cookie: a 401 means it expired, as for any API call.
  // Listening replaces MapLibre's own logging of errors, so every other error is still logged.
  map.on('error', ({ error }) => {
    if ((error as Partial<maplibregl.AJAXError>).status === 401) reportUnauthorized()
    else console.error(error)
  })
  map.touchZoomRotate.disableRotation()
  if (controls) {
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right')
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right')
  }
  return map
}
