import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseVendorTime } from '../../../src/sync/vendors/parse-vendor-time.js';

describe('parseVendorTime', () => {
  it('reads dates, offsets and offset-less date-times as the same UTC instant everywhere', () => {
    expect(parseVendorTime('2025-03-01')).toBe('2025-03-01T00:00:00.000Z');
    expect(parseVendorTime('2025-03-01T09:30:00')).toBe('2025-03-01T09:30:00.000Z');
    expect(parseVendorTime('2025-03-01 09:30')).toBe('2025-03-01T09:30:00.000Z');
    expect(parseVendorTime('2025-03-01T09:30:00.250')).toBe('2025-03-01T09:30:00.250Z');
    expect(parseVendorTime('2025-03-01T09:30:00+05:30')).toBe('2025-03-01T04:00:00.000Z');
    expect(parseVendorTime(' 2025-03-01T09:30:00Z ')).toBe('2025-03-01T09:30:00.000Z');
  });

  it('gives null for empty and non-dates', () => {
    for (const v of [null, undefined, '', '   ', 'soon', '2025-13-45']) expect(parseVendorTime(v)).toBeNull();
  });

  it('does not depend on the server time zone', () => {
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
    const src = fileURLToPath(new URL('../../../src/sync/vendors/parse-vendor-time.ts', import.meta.url));
    const script = `import('${src}').then((m) => process.stdout.write(JSON.stringify([m.parseVendorTime('2025-03-01T09:30:00'), m.parseVendorTime('2025-03-01')])))`;
    for (const tz of ['UTC', 'Asia/Kolkata', 'America/Los_Angeles']) {
      const out = execFileSync(tsx, ['-e', script], { env: { ...process.env, TZ: tz }, encoding: 'utf8' });
      expect([tz, JSON.parse(out)]).toEqual([tz, ['2025-03-01T09:30:00.000Z', '2025-03-01T00:00:00.000Z']]);
    }
  });
});
