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
    // Function code ships in Lambda bundles: imports that would bring back what bench/README.md
    // shows was taken out of them.
    files: ['lambdas/**/*.ts'],
    ignores: ['lambdas/**/*.test.ts', 'lambdas/**/*.perf.ts', 'lambdas/**/*.fuzz.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'zod', message: "Use 'zod/mini': zod's full import is 450 KB of a bundle (its 64 locales)." },
            { name: 'zod/v4', message: "Use 'zod/mini': zod's full import is 450 KB of a bundle (its 64 locales)." },
            { name: '@aws-sdk/client-sqs', allowTypeImports: true, message: 'Send with lambdas/commons/clients/sqs.ts (SqsJsonClient): the SQS client is 24 KB.' },
            { name: '@aws-sdk/client-ssm', allowTypeImports: true, message: 'Read parameters with lambdas/adapters/ssm-parameter-reader.ts: the SSM client is 80 KB.' },
            { name: '@aws-sdk/client-kms', allowTypeImports: true, message: 'Call KMS with lambdas/commons/clients/kms.ts: the KMS client is 27 KB.' },
            { name: '@aws-sdk/client-sesv2', allowTypeImports: true, message: 'Send with lambdas/commons/clients/ses.ts (sesSendingClient): the SES v2 client is 60 KB.' },
            { name: '@aws-sdk/credential-providers', message: 'Functions take credentials from the environment (fromEnv).' },
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
