import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import type { ComponentResolver } from 'unplugin-vue-components/types';

// The ganxun server embeds dist/ into its binary and serves index.html for
// every unknown non-/api path. During development, `npm run dev` proxies /api
// to a running server (GANXUN_API, default http://127.0.0.1:8090).
const apiTarget = process.env.GANXUN_API || 'http://127.0.0.1:8090';

// Element Plus's package index keeps every component alive (its top level
// reads `installer.install`), so import each component from its own module:
// map exported names (ElTableColumn, ElLoadingDirective, ...) to the module.
function elementPlusModules(): Map<string, string> {
  const dir = fileURLToPath(new URL('./node_modules/element-plus/es/components', import.meta.url));
  const map = new Map<string, string>();
  for (const d of readdirSync(dir)) {
    const file = `${dir}/${d}/index.mjs`;
    if (!existsSync(file)) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/export\s*\{([^}]*)\}/g)) {
      for (const part of m[1]!.split(',')) {
        const name = part.trim().split(/\s+as\s+/).pop()!;
        if (/^El[A-Z]/.test(name) && !map.has(name)) map.set(name, `element-plus/es/components/${d}/index.mjs`);
      }
    }
  }
  return map;
}

function ElementPlusPerComponentResolver(): ComponentResolver[] {
  const modules = elementPlusModules();
  const base = ElementPlusResolver({ importStyle: 'css' });
  return (Array.isArray(base) ? base : [base]).map((r) => {
    const type = typeof r === 'function' ? 'component' : r.type;
    const resolve = typeof r === 'function' ? r : r.resolve;
    return {
      type,
      async resolve(name: string) {
        const res = await resolve(name);
        if (!res || typeof res === 'string') return res;
        const target = res.name ?? name;
        if (res.from === 'element-plus/es' && modules.has(target)) return { ...res, from: modules.get(target)! };
        return res;
      },
    } as ComponentResolver;
  });
}

// Vendor code goes to stable chunks so it stays cached across app releases.
function manualChunks(id: string): string | undefined {
  if (!id.includes('node_modules')) return undefined;
  if (/node_modules\/(echarts|zrender|vue-echarts)\//.test(id)) return 'vendor-echarts';
  if (/node_modules\/(element-plus|@element-plus|@floating-ui|@popperjs|@ctrl|async-validator|dayjs|lodash-es|lodash-unified|memoize-one|normalize-wheel-es|@vueuse|@sxzz|escape-html)\//.test(id)) {
    return 'vendor-element';
  }
  return 'vendor';
}

export default defineConfig({
  base: '/',
  plugins: [
    vue(),
    // Element Plus components are imported on demand (with their CSS) as
    // templates use them; ElMessage/ElMessageBox are imported explicitly.
    Components({
      dts: 'src/components.d.ts',
      resolvers: ElementPlusPerComponentResolver(),
    }),
  ],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  build: {
    target: 'es2020',
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      output: { manualChunks },
    },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
});
