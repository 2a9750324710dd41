// Lint: typescript-eslint with type information (the checks that need types are the ones that catch
// real bugs here: floating and misused promises), React hooks rules for the client; formatting is
// Prettier's job alone (eslint-config-prettier turns every style rule off). `npm run lint`.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The checks that flag values typed `any`: off where nothing is typed to begin with. */
const unsafeAnyOff = Object.fromEntries(
  ['no-unsafe-assignment', 'no-unsafe-member-access', 'no-unsafe-call', 'no-unsafe-argument', 'no-unsafe-return'].map((rule) => [
    `@typescript-eslint/${rule}`,
    'off',
  ]),
);

export default tseslint.config(
  { ignores: ['dist/', 'data/', 'node_modules/', 'prisma/generated/', 'prisma/migrations/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['client/vite.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { checkThenables: true, ignoreVoid: false }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // `async` here marks functions that fill a Promise-returning slot (socket handlers, routes): not a bug
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests and benchmarks read untyped JSON replies; their assertions are what checks the shapes.
    files: ['test/**', 'bench/**'],
    rules: { ...unsafeAnyOff, '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['client/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Plain JavaScript: no type information to lean on for the type-aware rules' unsafe-any family.
    files: ['**/*.mjs'],
    rules: unsafeAnyOff,
  },
  prettier,
);
