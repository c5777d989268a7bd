/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Optional XYZ raster base map, e.g. a tile server inside the government network. Unset: none. */
  readonly VITE_BASEMAP_URL?: string
  readonly VITE_BASEMAP_ATTRIBUTION?: string
  /** `off` hides the sign-in form's line pointing at the demo accounts (a server without them). */
  readonly VITE_DEMO_HINT?: string
}

interface ImportMeta {
  readonly env: ImportMetaEnv
}
