// Builds Kinora as a static site that works from any file server, under any sub-path
// (relative base), offline after one visit (a Workbox service worker precaches the shell), and
// cross-origin isolated even where the host sends no headers (the service worker adds them).
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { testModelHandler } from './scripts/test-models.mjs';

export default defineConfig({
  base: './',
  plugins: [
    svelte(),
    // The dev server (npm run dev, the in-browser test pages) offers the test models beside the
    // site's own, as the test servers do (scripts/test-models.mjs); the build never holds them.
    {
      name: 'kinora-test-models',
      apply: 'serve',
      configureServer(server) {
        const testModels = testModelHandler({ siteIndexPath: 'public/models/index.json' });
        server.middlewares.use((req, res, next) => {
          if (!testModels(req, res)) next();
        });
      },
    },
    VitePWA({
      // Our own service worker (src/sw.ts), with Workbox's precache injected into it: it must add
      // COOP/COEP to the responses it serves, which generateSW cannot (see the comment in sw.ts).
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      // main.ts registers the worker itself (src/app/isolation.ts), so that the page controls when.
      injectRegister: false,
      // A new version waits to be accepted (src/app/site-update.ts): taking over at once would
      // reload the page, and a video being made with it.
      registerType: 'prompt',
      manifest: {
        name: 'Kinora',
        short_name: 'Kinora',
        description: 'Video from a sentence, made on your own GPU. Nothing leaves your device.',
        theme_color: '#1d1b3a',
        background_color: '#14131c',
        display: 'standalone',
        // Relative to the manifest, which lies in the app's folder: the app installs at its own
        // base path, at the root or under any sub-path, and its scope ends there.
        id: './',
        start_url: './',
        scope: './',
        // Raster icons of 192 and 512 px (scripts/build-icons.mjs): Chromium's installability needs one of at least 144 px.
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any maskable' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any maskable' },
          { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      injectManifest: {
        // The shell, the worker, the WGSL-bearing bundles and onnxruntime-web's .wasm (~28 MB) and
        // its threaded loader .mjs. Model weights are not precached: they live in IndexedDB, verified by hash.
        globPatterns: ['**/*.{js,mjs,css,html,svg,png,wasm,webmanifest}'],
        globIgnores: ['models/**'],
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        // One classic script: the service worker is registered without { type: 'module' }.
        rollupFormat: 'iife',
      },
    }),
  ],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2048 },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
