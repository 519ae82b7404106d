// Runs ../src/__tests__ against Vue 3.3, the oldest minor the peer range allows: `vue`, its
// server renderer, Vue Test Utils and Pinia all come from THIS folder's node_modules, where pnpm
// links their own `vue` imports to 3.3 too. Pinia is 2.2.4, the last whose peer range has Vue 3.3
// (Pinia 3 and 2.2.5+ ask for 3.5). vueVersion.test.ts fails if any of them loads another Vue.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import shared from "../../../vitest.shared";

const here = fileURLToPath(new URL(".", import.meta.url));
const require = createRequire(import.meta.url);
const local = (name: string) => ({
  find: new RegExp(`^${name.replace("/", "\\/")}$`),
  replacement: require.resolve(name),
});

export default defineConfig({
  root: here,
  resolve: {
    alias: [local("vue"), local("vue/server-renderer"), local("@vue/test-utils"), local("pinia")],
  },
  test: {
    ...shared.test,
    environment: "jsdom",
    // Every test: none reads dist/. The type tests (*.test-d.ts) run once, in the Vue 3.5 run.
    include: ["../src/__tests__/**/*.test.ts"],
    setupFiles: ["../src/__tests__/setup.ts"],
    env: { EXPECTED_VUE_MINOR: "3.3" },
    reporters: ["default", ["json", { outputFile: "../test-results/vue33.json" }]],
  },
});
