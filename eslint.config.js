// ESLint covers the Node side (harness, CLI, tests, benchmarks); AssemblyScript is checked by asc.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "build/",
      "dist/",
      "node_modules/",
      "assembly/",
      "filters/",
      "test/fixtures/",
      "test/crypto/entries/",
      "test/expr/entries/",
      "test/peers/",
      "bench/fixtures/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
);
