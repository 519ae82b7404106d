// Budgets are measured on a PRODUCTION build: bundlers replace process.env.NODE_ENV, which drops
// the long development-only error messages (see the README, "Errors in production builds").
const production = (config) => ({
  ...config,
  define: { ...config.define, "process.env.NODE_ENV": '"production"' },
});

module.exports = [
  {
    name: "@nametag/core: identify path (createNametag + identify + resetUser + getVisitorId)",
    path: "size/identify.js",
    limit: "2.5 KB",
    brotli: true,
    modifyEsbuildConfig: production,
  },
  {
    name: "@nametag/core: everything (import *)",
    path: "dist/index.js",
    import: "*",
    limit: "6 KB",
    brotli: true,
    modifyEsbuildConfig: production,
  },
];
