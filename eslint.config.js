// One flat config for the whole monorepo: TypeScript rules everywhere, React hooks rules for the
// React and Next packages and examples.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/coverage/**",
      "**/.next/**",
      "**/node_modules/**",
      "**/.turbo/**",
      "**/next-env.d.ts",
      "docs/api/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name=/^(only|skip)$/]",
          message: "Focused or skipped tests must not be committed.",
        },
      ],
    },
  },
  {
    files: [
      "packages/react/**/*.{ts,tsx}",
      "packages/next/**/*.{ts,tsx}",
      "examples/react-vite/**/*.{ts,tsx}",
      "examples/next-app/**/*.{ts,tsx}",
    ],
    plugins: { "react-hooks": reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
);
