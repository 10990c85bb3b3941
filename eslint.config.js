// ESLint flat config: typescript-eslint type-checked rules (floating/misused promises are our likeliest
// crash), per-folder import boundaries from ../shared/docs/style.md, and Prettier for formatting.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const restrict = (patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', 'src/sandbox/chat-page/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'no-console': 'error',
      'no-template-curly-in-string': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: restrict([
      { group: ['node:*', 'express', 'lowdb', 'lowdb/*', 'webex-node-bot-framework*', 'pino'], message: 'domain is pure: no I/O' },
      { group: ['../store/*', '../bot/*', '../webex/*', '../sync/*', '../jobs/*', '../sandbox/*', '../cards/*'], message: 'domain imports only errors and clock' },
    ]),
  },
  {
    files: ['src/store/**/*.ts'],
    rules: restrict([
      { group: ['express', 'webex-node-bot-framework*'], message: 'store talks only to lowdb and PostgreSQL' },
      { group: ['../bot/*', '../webex/*', '../sync/*', '../jobs/*', '../sandbox/*', '../cards/*'], message: 'store imports domain and errors only' },
    ]),
  },
  {
    files: ['src/cards/**/*.ts'],
    rules: restrict([
      { group: ['express', 'lowdb', 'lowdb/*', 'webex-node-bot-framework*'], message: 'cards only render' },
      { group: ['../store/*', '../bot/*', '../webex/*', '../sync/*', '../jobs/*', '../sandbox/*'], message: 'cards import errors only' },
    ]),
  },
  {
    files: ['src/bot/**/*.ts'],
    rules: restrict([
      { group: ['express', 'lowdb', 'lowdb/*', 'webex-node-bot-framework*', 'node:http', 'node:https'], message: 'bot is transport-free' },
      { group: ['../webex/*', '../../webex/*', '../sandbox/*', '../../sandbox/*', '../store/lowdb/*', '../../store/lowdb/*', '../store/postgres/*', '../../store/postgres/*'], message: 'bot sees the store interface only' },
    ]),
  },
  {
    files: ['src/sync/**/*.ts'],
    rules: restrict([
      { group: ['express', 'webex-node-bot-framework*'], message: 'sync does not serve' },
      { group: ['../bot/*', '../../bot/*', '../../../bot/*', '../webex/*', '../../webex/*', '../../../webex/*', '../sandbox/*', '../../sandbox/*', '../../../sandbox/*', '../store/lowdb/*', '../../store/lowdb/*', '../../../store/lowdb/*', '../store/postgres/*', '../../store/postgres/*', '../../../store/postgres/*'], message: 'sync sees domain and the store interface' },
    ]),
  },
  {
    files: ['src/jobs/**/*.ts'],
    rules: restrict([
      { group: ['express', 'webex-node-bot-framework*', 'lowdb', 'lowdb/*'], message: 'jobs schedule work; they do not serve or store' },
      { group: ['../bot/*', '!../bot/chat-event.js', '../webex/*', '../sandbox/*', '../store/lowdb/*', '../store/postgres/*'], message: 'jobs see the bot only through bot/chat-event.ts (BotNotices, Outbox)' },
    ]),
  },
  {
    // The write-back outbox worker: ledger in, vendor writes through sync/'s write clients, words from the bot.
    files: ['src/provisioning/**/*.ts'],
    rules: restrict([
      { group: ['express', 'webex-node-bot-framework*', 'lowdb', 'lowdb/*', 'node:http', 'node:https'], message: 'provisioning calls vendors only through sync/vendors write clients' },
      { group: ['../webex/*', '../sandbox/*', '../store/lowdb/*', '../jobs/*', '../bot/*', '!../bot/chat-event.js'], message: 'provisioning sees domain, the store interface, sync write clients and bot/chat-event.ts' },
    ]),
  },
  {
    files: ['src/webex/**/*.ts'],
    rules: restrict([
      { group: ['lowdb', 'lowdb/*'], message: 'webex is transport only' },
      { group: ['../store/*', '../sync/*', '../jobs/*', '../sandbox/*', '../domain/*'], message: 'webex sees bot types only' },
    ]),
  },
  {
    files: ['src/sandbox/**/*.ts'],
    rules: restrict([{ group: ['../store/*', '../../store/*', '../bot/*', '../../bot/*'], message: 'sandbox is wiring of fakes only' }]),
  },
  {
    files: ['test/**/*.ts'],
    // vitest's asymmetric matchers (expect.stringContaining, expect.any) are typed `any`.
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  // This file is plain JavaScript: no type information to check it with.
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  prettier,
);
