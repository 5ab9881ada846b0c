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
  {
    files: ['apps/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [LIB_INNER_PATHS, INFRA] }] },
  },
  {
    files: ['apps/sync-api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [LIB_INNER_PATHS, INFRA, { group: ['**/async-worker/**'], message: 'The apps never import each other.' }] },
      ],
    },
  },
  {
    files: ['apps/async-worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [LIB_INNER_PATHS, INFRA, { group: ['**/sync-api/**'], message: 'The apps never import each other.' }] },
      ],
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [APPS, LIB_INNER_PATHS, INFRA] }] },
  },
  {
    files: ['libs/cache/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            APPS,
            LIB_INNER_PATHS,
            INFRA,
            { group: ['@app/data', '@app/warehouse'], message: 'libs/cache knows nothing of the domain or the warehouse.' },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            APPS,
            LIB_INNER_PATHS,
            INFRA,
            { group: ['@app/data', '@app/cache', '@app/warehouse'], message: 'libs/platform is the base layer: it imports no other lib.' },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/platform/src/config/load-config.ts', 'test/**/*.ts', 'bench/**/*.js', '**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
