// @ts-check
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const depConstraints = [
  { sourceTag: 'type:pure', onlyDependOnLibsWithTags: ['type:pure'] },
  { sourceTag: 'type:common', onlyDependOnLibsWithTags: ['type:pure'] },
  { sourceTag: 'type:db', onlyDependOnLibsWithTags: ['type:pure', 'type:common'] },
  // What Compute and GKE operations share (timing settings, life cycle): below every API group, above the database.
  { sourceTag: 'type:operations', onlyDependOnLibsWithTags: ['type:pure', 'type:common', 'type:db'] },
  {
    sourceTag: 'type:feature',
    onlyDependOnLibsWithTags: ['type:pure', 'type:common', 'type:db', 'type:operations', 'type:feature'],
  },
  {
    sourceTag: 'type:server',
    onlyDependOnLibsWithTags: ['type:pure', 'type:common', 'type:db', 'type:operations', 'type:feature'],
  },
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: [
      'type:pure',
      'type:common',
      'type:db',
      'type:operations',
      'type:feature',
      'type:server',
    ],
  },
  {
    sourceTag: 'type:testing',
    onlyDependOnLibsWithTags: [
      'type:pure',
      'type:common',
      'type:db',
      'type:operations',
      'type:feature',
      'type:server',
    ],
  },
  { sourceTag: 'type:sdk', onlyDependOnLibsWithTags: ['type:sdk'] },
];

// Tests may also use libs/testing (and only tests may).
const testDepConstraints = depConstraints.map((constraint) =>
  constraint.sourceTag === 'type:sdk'
    ? constraint
    : { ...constraint, onlyDependOnLibsWithTags: [...constraint.onlyDependOnLibsWithTags, 'type:testing'] },
);

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/tmp/**',
      '.gke-emulator/**',
      'libs/db/src/generated/**',
      '.nx/**',
      'examples/**/node_modules/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    // Nest injects by the constructor's parameter types: imports used in decorated signatures are values.
    languageOptions: { parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints,
        },
      ],
    },
  },
  {
    // Test files, and the helpers they share (apps/*/test/support): tests only.
    files: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      '**/*.slow-spec.ts',
      'apps/*/test/support/**/*.ts',
    ],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints: testDepConstraints },
      ],
    },
  },
  {
    // Pure libraries stay free of frameworks and I/O.
    files: ['libs/netaddr/**/*.ts', 'libs/dataplane/**/*.ts', 'libs/topology/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@nestjs/*', '@prisma/*', 'pg', 'node:*', 'fs', 'net', 'http', 'child_process'] },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        performance: 'readonly',
        fetch: 'readonly',
      },
    },
  },
  {
    // Runs in a fresh npm project outside the repository against the packed tarballs
    // (apps/cli/test/package-install.slow-spec.ts): its '@gke-emulator/sdk' is the installed package, not this
    // workspace's library, so the workspace's boundaries do not apply.
    files: ['apps/cli/test/installed-project/**'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
);
