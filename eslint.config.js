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
    files: ['relay/main.ts', 'bin/*.js', 'bench/**/*.ts', 'stress/**/*.ts', 'e2e/**/*.ts'],
    rules: { 'no-console': 'off' }
  }
)
