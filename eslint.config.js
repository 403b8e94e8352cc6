import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'coverage/', '.local/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // Function code ships in Lambda bundles: zod's full import would bring back its locales;
    // AWS is called through the SDK's clients (lambdas/platform/aws/), never signed by hand.
    files: ['lambdas/**/*.ts'],
    ignores: ['lambdas/**/*.test.ts', 'lambdas/**/*.perf.ts', 'lambdas/**/*.fuzz.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'zod', message: "Use 'zod/mini': zod's full import is 450 KB of a bundle (its 64 locales)." },
            { name: 'zod/v4', message: "Use 'zod/mini': zod's full import is 450 KB of a bundle (its 64 locales)." },
            { name: '@aws-sdk/credential-providers', message: "Functions take the SDK clients' default credentials (the role's, which Lambda puts in the environment)." },
          ],
          patterns: [
            {
              group: ['@smithy/signature-v4', '@smithy/signature-v4/*', '@aws-sdk/signature-v4*', '**/signed-http', '**/aws-json-call', '**/sqs-json-client'],
              message: 'Call AWS through its SDK client (lambdas/platform/aws/): no AWS protocol of our own, no request signed by hand.',
            },
          ],
        },
      ],
    },
  },
  {
    // local/ is a package of its own (@registry-notices/local-stack): it knows no product.
    files: ['local/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(lambdas|lib|cli|bench|test|bin)(/|$)',
              message: 'local/ is a package of its own: it imports nothing from the project around it.',
            },
          ],
        },
      ],
    },
  },
  {
    // Everything else uses local/ through its index only.
    files: ['**/*.ts'],
    ignores: ['local/**', 'lambdas/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(\\.{1,2}/)+local(/|$)', message: "Import '@registry-notices/local-stack' (local/index.ts), not a path into local/." },
            { regex: '^@registry-notices/local-stack/', message: "Import '@registry-notices/local-stack' (local/index.ts), not a file inside it." },
          ],
        },
      ],
    },
  },
  {
    // Tooling that talks to a person on a terminal.
    files: ['local/**', 'cli/**', 'bench/**', 'test/**', 'lambdas/**/*.perf.ts'],
    rules: { 'no-console': 'off' },
  },
);
