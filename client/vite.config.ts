import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const clientDir = path.dirname(fileURLToPath(import.meta.url));
const hub = process.env.HUB_DEV_TARGET ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: clientDir,
  plugins: [react()],
  build: { outDir: path.join(clientDir, '..', 'dist', 'client'), emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  // `npm run dev`: REST and socket.io go to the hub (scripts/dev.mjs says where)
  server: { proxy: { '/api': hub, '/socket.io': { target: hub, ws: true } } },
});
