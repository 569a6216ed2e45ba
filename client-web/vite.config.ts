import { defineConfig } from 'vite';

// Node's process, without pulling @types/node into the browser code's type check.
declare const process: { env: Record<string, string | undefined> };

// `npm run dev` serves the client with hot reload and forwards the API to a server started
// with ./scripts/run.sh (STREAMER_URL overrides where it listens).
const server = process.env.STREAMER_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      // @microsoft/signalr ships /*#__PURE__*/ comments Rollup cannot place; harmless, and not ours to fix.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules/@microsoft/signalr')) return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: {
      '/whip': server,
      '/api': server,
      '/metrics': server,
      '/healthz': server,
      '/hubs': { target: server, ws: true },
    },
  },
});
