import { fileURLToPath } from "node:url";
import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// `server-only` throws unless bundled under the react-server condition; tests import the server
// entry directly, so it resolves to its own empty module here.
const serverOnly = {
  find: /^server-only$/,
  replacement: here("node_modules/server-only/empty.js"),
};

// The suite runs twice in one vitest run (one JSON report): next-auth v4 (the devDependency) and
// next-auth v5 (the `next-auth-v5` alias). Tests that do not depend on next-auth run once, in v4.
const versionAgnostic = [
  "src/__tests__/createNametagRouteHandler.test.ts",
  "src/__tests__/getNametagBootstrap.test.ts",
  "src/__tests__/packaging.test.ts",
  "src/__tests__/mapSession.test.ts",
  "src/__tests__/readmeFixtures.test.ts",
];

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      projects: [
        {
          extends: true,
          resolve: { alias: [serverOnly] },
          test: {
            name: "next-auth-v4",
            environment: "jsdom",
            include: ["src/__tests__/*.test.{ts,tsx}", "src/__tests__/v4/*.test.{ts,tsx}"],
            env: { NEXT_AUTH_MAJOR: "4" },
            typecheck: { enabled: true, include: ["src/__tests__/*.test-d.{ts,tsx}"] },
          },
        },
        {
          extends: true,
          resolve: {
            alias: [serverOnly, { find: /^next-auth(\/.*)?$/, replacement: "next-auth-v5$1" }],
          },
          test: {
            name: "next-auth-v5",
            environment: "jsdom",
            include: ["src/__tests__/*.test.{ts,tsx}", "src/__tests__/v5/*.test.{ts,tsx}"],
            exclude: versionAgnostic,
            env: { NEXT_AUTH_MAJOR: "5" },
          },
        },
      ],
    },
  }),
);
