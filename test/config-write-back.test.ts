import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

describe('write-back settings', () => {
  it('default to nothing written, no dry run, 20 removals an hour', () => {
    expect(loadConfig({}).writeBack).toEqual({ vendors: [], dryRun: false, maxRemovalsPerHour: 20 });
  });

  it('read the vendors, the dry run and the brake', () => {
    const c = loadConfig({ WRITE_BACK_VENDORS: ' Webex, cpod ,webex', WRITE_BACK_DRY_RUN: 'true', WRITE_BACK_MAX_REMOVALS_PER_HOUR: '5' });
    expect(c.writeBack).toEqual({ vendors: ['webex', 'cpod'], dryRun: true, maxRemovalsPerHour: 5 });
  });

  it('refuse read-only vendors and bad values, naming each key', () => {
    try {
      loadConfig({ WRITE_BACK_VENDORS: 'webex,meraki', WRITE_BACK_DRY_RUN: 'maybe', WRITE_BACK_MAX_REMOVALS_PER_HOUR: '-1' });
      expect.unreachable('loadConfig accepted bad write-back settings');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as Error).message;
      expect(message).toContain('WRITE_BACK_VENDORS');
      expect(message).toContain('Meraki and Zoho CRM are read-only');
      expect(message).toContain('WRITE_BACK_DRY_RUN');
      expect(message).toContain('WRITE_BACK_MAX_REMOVALS_PER_HOUR');
    }
  });
});
