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

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test,infra}/**/*.spec.ts'] },
    { ...shared, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'], setupFilesAfterEnv: [SLOW] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'], setupFilesAfterEnv: [SLOW] },
    { ...shared, displayName: 'drills', testMatch: ['<rootDir>/test/drills/**/*.drill-spec.ts'], setupFilesAfterEnv: [DRILLS] },
  ],
};
