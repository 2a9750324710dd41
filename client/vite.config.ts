import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const clientDir = path.dirname(fileURLToPath(import.meta.url));
const hub = process.env.HUB_DEV_TARGET ?? 'http://127.0.0.1:3000';

/**
 * PDF.js's data beside the build, under `pdfjs/`: the standard fonts (a PDF that names Helvetica without embedding
 * it), the image decoders' WebAssembly (scanned pages: JBIG2, JPEG 2000), colour profiles and CMaps. The document
 * viewer points PDF.js at them; nothing is fetched from elsewhere.
 */
function pdfjsData(): Plugin {
  const root = path.join(clientDir, '..', 'node_modules', 'pdfjs-dist');
  return {
    name: 'pdfjs-data',
    apply: 'build',
    generateBundle() {
      for (const folder of ['standard_fonts', 'wasm', 'iccs', 'cmaps'])
        for (const name of fs.readdirSync(path.join(root, folder)))
          this.emitFile({ type: 'asset', fileName: `pdfjs/${folder}/${name}`, source: fs.readFileSync(path.join(root, folder, name)) });
    },
  };
}

export default defineConfig({
  root: clientDir,
  plugins: [react(), pdfjsData()],
  build: { outDir: path.join(clientDir, '..', 'dist', 'client'), emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  // `npm run dev`: REST and socket.io go to the hub (scripts/dev.mjs says where)
  server: { proxy: { '/api': hub, '/socket.io': { target: hub, ws: true } } },
});
