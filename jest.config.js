/** Three tiers (README.md, Tests): unit specs with no I/O, integration against real services, e2e over HTTP; and the long fault drills (npm run test:drills). */
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@app/(platform|data|jobs|cache|warehouse)$': '<rootDir>/libs/$1/src',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/cdk.out/'],
};

const SLOW = '<rootDir>/test/support/slow-tests.setup.ts';
const DRILLS = '<rootDir>/test/support/drill-tests.setup.ts';
/** The suites that create test databases copy them from templates that one run migrates once. */
const TEMPLATES = { globalSetup: '<rootDir>/test/support/global-setup.ts', globalTeardown: '<rootDir>/test/support/global-teardown.ts' };

module.exports = {
  testSequencer: '<rootDir>/test/support/longest-first.sequencer.js',
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test,infra}/**/*.spec.ts'] },
    { ...shared, ...TEMPLATES, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'], setupFilesAfterEnv: [SLOW] },
    { ...shared, ...TEMPLATES, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'], setupFilesAfterEnv: [SLOW] },
    { ...shared, ...TEMPLATES, displayName: 'drills', testMatch: ['<rootDir>/test/drills/**/*.drill-spec.ts'], setupFilesAfterEnv: [DRILLS] },
  ],
};
