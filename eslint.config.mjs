// @ts-check
import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const LIB_INNER_PATHS = {
  group: ['@app/*/*', '**/libs/*/src/*', '**/libs/*/src/**'],
  message: 'Import a lib through its alias (@app/<lib>), not its inner files.',
};
const APPS = { group: ['**/apps/**'], message: 'Libs never import apps.' };
const INFRA = {
  group: ['**/infra/**', 'aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'],
  message: 'infra/ and the CDK (dev dependencies) deploy the apps: apps and libs never import them.',
};

/** The layering rule for `files`: a later block for the same files replaces the whole list, so each block repeats what still applies. */
const restrictImports = (files, ...patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/cdk.out/**', 'eslint.config.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through the validated AppConfig.' }],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['apps/sync-api/src/reports/dashboard/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, Chart: 'readonly' } },
  },
  restrictImports(['apps/**/*.ts'], LIB_INNER_PATHS, INFRA),
  restrictImports(['apps/sync-api/**/*.ts'], LIB_INNER_PATHS, INFRA, { group: ['**/async-worker/**'], message: 'The apps never import each other.' }),
  restrictImports(['apps/async-worker/**/*.ts'], LIB_INNER_PATHS, INFRA, { group: ['**/sync-api/**'], message: 'The apps never import each other.' }),
  restrictImports(['libs/**/*.ts'], APPS, LIB_INNER_PATHS, INFRA),
  restrictImports(['libs/cache/**/*.ts'], APPS, LIB_INNER_PATHS, INFRA, {
    group: ['@app/data', '@app/jobs', '@app/warehouse'],
    message: 'libs/cache knows nothing of the domain, the jobs or the warehouse.',
  }),
  restrictImports(['libs/platform/**/*.ts'], APPS, LIB_INNER_PATHS, INFRA, {
    group: ['@app/data', '@app/jobs', '@app/cache', '@app/warehouse'],
    message: 'libs/platform is the base layer: it imports no other lib.',
  }),
  restrictImports(['libs/jobs/**/*.ts'], APPS, LIB_INNER_PATHS, INFRA, {
    group: ['@app/data', '@app/cache', '@app/warehouse'],
    message: 'libs/jobs holds the contracts both sides of a queue share: it builds on libs/platform only.',
  }),
  restrictImports(['libs/data/**/*.ts'], APPS, LIB_INNER_PATHS, INFRA, {
    group: ['@app/warehouse'],
    message: 'libs/data and libs/warehouse are independent: the ETL reads the OMS database with its own SQL.',
  }),
  restrictImports(['libs/warehouse/**/*.ts'], APPS, LIB_INNER_PATHS, INFRA, {
    group: ['@app/data'],
    message: 'libs/data and libs/warehouse are independent: the ETL reads the OMS database with its own SQL.',
  }),
  {
    files: ['libs/platform/src/config/load-config.ts', 'test/**/*.ts', 'bench/**/*.js', '**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
