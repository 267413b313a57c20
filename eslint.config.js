import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/results/**', 'stress/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      'no-console': ['error', { allow: ['error', 'warn'] }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
    }
  },
  {
    // code that runs in Node (the relay, shared modules, tools)
    files: ['relay/**/*.ts', 'src/**/*.ts', 'bench/**/*.ts', 'stress/**/*.ts', 'e2e/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.object.name='AbortSignal'][callee.property.name='any'] CallExpression[callee.object.name='AbortSignal'][callee.property.name='timeout']",
        message: 'Node 20 collects a timeout signal that only AbortSignal.any() references before it fires (nodejs/node#57736): use withTimeout() from src/node/signals.ts.'
      }]
    }
  },
  {
    files: ['relay/main.ts', 'bin/*.js', 'bench/**/*.ts', 'stress/**/*.ts', 'e2e/**/*.ts'],
    rules: { 'no-console': 'off' }
  }
)
