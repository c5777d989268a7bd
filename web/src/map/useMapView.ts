// A map inside a component: made when it mounts (and handed to `setUp` to add its layers and
// handlers), kept as `window.__map` for the browser tests, `idle` while everything is drawn
// (`data-map-idle` lets a test, or a wall-display watchdog, see it), removed when it unmounts.
import { onBeforeUnmount, onMounted, ref, shallowRef, type Ref } from 'vue'
import type { Map, PaddingOptions } from 'maplibre-gl'
import { createMap, type MapOptions } from './map'

export function useMapView(container: Ref<HTMLElement | undefined>, padding: PaddingOptions, options: MapOptions, setUp: (map: Map) => void) {
  const map = shallowRef<Map>()
  const idle = ref(false)

  onMounted(() => {
    const created = createMap(container.value!, padding, options)
    map.value = created
    window.__map = created
    created.on('idle', () => (idle.value = true))
    created.on('dataloading', () => (idle.value = false))
    created.on('movestart', () => (idle.value = false))
    setUp(created)
  })

  onBeforeUnmount(() => {
    map.value?.remove()
    if (window.__map === map.value) delete window.__map
  })

  return { map, idle }
}
