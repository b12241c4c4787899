import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The browser build: web/ → dist/www (served at `/` by `openvpp serve`). Relative asset URLs so
// the build works under any mount point; the charts are their own chunk, loaded on first use.
export default defineConfig({
  root: 'web',
  base: './',
  plugins: [react()],
  // The SDK from source: its ES modules let the bundler keep only the builders the app calls
  // (the package's bundled dist holds each generated namespace as one object).
  resolve: {
    alias: {
      '@openvpp/sdk': fileURLToPath(new URL('../sdk/src/index.ts', import.meta.url)),
    },
  },
  build: {
    outDir: '../dist/www',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 700,
  },
});
