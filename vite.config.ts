// Builds Kinora as a static site that works from any file server, under any sub-path
// (relative base), and offline after one visit (a Workbox service worker precaches the shell).
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

export default defineConfig({
  base: './',
  plugins: [
    svelte(),
    VitePWA({
      // main.ts registers the worker itself, so that tests and the page control when.
      injectRegister: false,
      registerType: 'autoUpdate',
      manifest: {
        name: 'Kinora',
        short_name: 'Kinora',
        description: 'Video from a sentence, made on your own GPU. Nothing leaves your device.',
        theme_color: '#1d1b3a',
        background_color: '#14131c',
        display: 'standalone',
        icons: [{ src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' }],
      },
      workbox: {
        // The shell, the worker, the WGSL-bearing bundles and onnxruntime-web's .wasm (~28 MB).
        // Model weights are not precached: they live in IndexedDB, verified by hash.
        globPatterns: ['**/*.{js,mjs,css,html,svg,wasm,webmanifest}'],
        globIgnores: ['models/**'],
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2048 },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
