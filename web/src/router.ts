import { createRouter, createWebHistory } from 'vue-router'
import HomeScreen from './screens/home/HomeScreen.vue'

// The server falls back to index.html for unknown paths, so history URLs work on reload.
export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes: [{ path: '/', name: 'home', component: HomeScreen }],
})
