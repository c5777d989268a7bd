import { createRouter, createWebHistory } from 'vue-router'

// The server falls back to index.html for unknown paths, so history URLs work on reload.
// Every screen is its own chunk: the phone never downloads ECharts, Element Plus or MapLibre.
export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes: [
    { path: '/', name: 'home', component: () => import('./screens/home/HomeScreen.vue') },
    { path: '/wall', name: 'wall', component: () => import('./screens/wall/WallScreen.vue') },
    { path: '/console', name: 'console', component: () => import('./screens/console/ConsoleScreen.vue') },
    { path: '/field', name: 'field', component: () => import('./screens/field/FieldScreen.vue') },
    { path: '/assessment', name: 'assessment', component: () => import('./screens/assessment/AssessmentScreen.vue') },
    { path: '/three-zeros', name: 'three-zeros', component: () => import('./screens/assessment/ThreeZeroScreen.vue') },
  ],
})
