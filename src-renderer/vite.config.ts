import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // The desk's UI, and the hall's queue screen (its own small page: a TV's browser loads no React).
    rollupOptions: { input: { main: fileURLToPath(new URL('./index.html', import.meta.url)), hall: fileURLToPath(new URL('./hall.html', import.meta.url)) } },
  },
});
