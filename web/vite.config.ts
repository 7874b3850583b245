import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VOCABULARIES } from '../src/domain/vocabularies.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * `virtual:vigil-vocabularies`: every controlled vocabulary, its terms in the domain's order with
 * their English and Russian labels and attributes (an act's `group`, a CAT answer's `met`), taken
 * from the domain at build time: the same lists `GET /api/v1/vocabularies` serves, without asking
 * for them and without bundling the validation code around them.
 */
function vocabularies(): Plugin {
  const id = 'virtual:vigil-vocabularies';
  return {
    name: 'vigil-vocabularies',
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    load: (resolved) => (resolved === `\0${id}` ? `export default ${JSON.stringify(VOCABULARIES)};` : undefined),
  };
}

// The web app: sources in web/, built into dist/web/, served by the API process (src/api/web.ts).
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react(), vocabularies()],
  build: {
    outDir: path.resolve(here, '..', 'dist', 'web'),
    emptyOutDir: true,
    // Budget for the public first screen is ~300 KB compressed; warn on any single chunk far past it.
    chunkSizeWarningLimit: 700,
    sourcemap: false,
  },
  server: {
    // `npx vite web` during development: the API runs separately (`npm start`).
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
