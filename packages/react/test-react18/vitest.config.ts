// Runs ../src/__tests__ against React 18: every React entry point, and Testing Library (whose
// own `react` import then resolves to React 18 too), comes from THIS folder's node_modules.
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
    alias: [
      local("react"),
      local("react/jsx-runtime"),
      local("react/jsx-dev-runtime"),
      local("react-dom"),
      local("react-dom/client"),
      local("react-dom/server"),
      local("@testing-library/react"),
    ],
  },
  test: {
    ...shared.test,
    environment: "jsdom",
    // The component tests; the packaging test (*.test.ts) reads dist/ and runs once, in the React 19 run.
    include: ["../src/__tests__/**/*.test.tsx"],
    env: { EXPECTED_REACT_MAJOR: "18" },
    reporters: ["default", ["json", { outputFile: "../test-results/react18.json" }]],
  },
});
