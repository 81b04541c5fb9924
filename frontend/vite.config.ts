import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv } from 'vite';

export default defineConfig(({ mode }) => ({
  plugins: [react()],
  server: {
    // The backend serves its routes without a prefix (CONTRACT.md), so the dev proxy strips the /api it adds.
    proxy: {
      '/api': {
        // VITE_API_PROXY_TARGET (in the environment or frontend/.env.local) points the dev server at another backend.
        target: loadEnv(mode, process.cwd(), '').VITE_API_PROXY_TARGET || 'http://localhost:8000',
        changeOrigin: true,
        rewrite: (path) => path.replace(/^\/api/, ''),
      },
    },
  },
}));
