/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Optional XYZ raster base map, e.g. a tile server inside the government network. Unset: none. */
  readonly VITE_BASEMAP_URL?: string
  readonly VITE_BASEMAP_ATTRIBUTION?: string
}

interface ImportMeta {
  readonly env: ImportMetaEnv
}
