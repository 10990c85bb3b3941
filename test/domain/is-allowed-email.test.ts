import { describe, expect, it } from 'vitest';
import { isAllowedEmail } from '../../src/domain/is-allowed-email.js';
import { tooLong } from '../../src/domain/input-limits.js';

describe('isAllowedEmail', () => {
  it('lets everyone in when no domain is set', () => {
    expect(isAllowedEmail('eve@evil.test', [])).toBe(true);
  });

  it('compares the part after the last @, in any case', () => {
    expect(isAllowedEmail('Cy@EXAMPLE.com', ['example.com'])).toBe(true);
    expect(isAllowedEmail('cy@example.com', [' Example.COM '])).toBe(true);
    expect(isAllowedEmail('eve@evil.test', ['example.com'])).toBe(false);
    expect(isAllowedEmail('eve@example.com@evil.test', ['example.com'])).toBe(false);
    expect(isAllowedEmail('cy@sub.example.com', ['example.com'])).toBe(false);
    expect(isAllowedEmail('no-at-sign', ['example.com'])).toBe(false);
    expect(isAllowedEmail('trailing@', ['example.com'])).toBe(false);
  });
});

describe('tooLong', () => {
  it('says the limit in plain words', () => {
    expect(tooLong('That product name', 200)).toBe('That product name is too long (at most 200 characters).');
  });
});
