// Measured as an app ships it: a production build, where `process.env.NODE_ENV` is
// "production" and development-only warnings (the provider's options check) are dropped.
export default [
  {
    name: "@nametag/react (react and @nametag/core external)",
    path: "dist/index.js",
    import: "*",
    limit: "1 KB",
    brotli: true,
    ignore: ["react", "react/jsx-runtime", "@nametag/core"],
    modifyEsbuildConfig: (config) => ({
      ...config,
      define: { ...config.define, "process.env.NODE_ENV": '"production"' },
    }),
  },
];
