import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';

/** Where `npm run dev` serves the API during development. */
const API_ORIGIN = 'http://localhost:3000';

/**
 * Forwards a path prefix to the API server. The auth library refuses requests whose Origin is
 * not its own, so the browser's Origin (the Vite dev server) is rewritten to the API's.
 */
const toApi: ProxyOptions = {
  target: API_ORIGIN,
  changeOrigin: true,
  configure(proxy) {
    proxy.on('proxyReq', (proxyReq) => {
      if (proxyReq.getHeader('origin')) proxyReq.setHeader('origin', API_ORIGIN);
    });
  },
};

/** @mantine/charts and Recharts with the libraries only Recharts uses. */
const CHART_MODULES =
  /node_modules[\\/](@mantine[\\/]charts|recharts|victory-vendor|d3-[a-z-]+|internmap|@reduxjs|react-redux|redux|redux-thunk|immer|reselect|decimal\.js-light|es-toolkit|eventemitter3|tiny-invariant)[\\/]/;

export default defineConfig({
  // The repository root, where index.html is, wherever Vite is started from.
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: 'public',
  plugins: [react()],
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // Libraries in their own long-cached chunks, apart from the app code that changes more often.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ },
            { name: 'mantine', test: /node_modules[\\/](@mantine[\\/](core|hooks|notifications)|@floating-ui)[\\/]/ },
            // The charts stay out of the groups: only the admin page, loaded on demand, uses them.
            { name: 'vendor', test: (id: string) => /node_modules[\\/]/.test(id) && !CHART_MODULES.test(id) },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': toApi,
      '/docs': toApi,
      '/openapi.json': toApi,
      '/health': toApi,
    },
  },
});
