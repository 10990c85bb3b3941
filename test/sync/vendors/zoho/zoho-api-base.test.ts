import { describe, expect, it } from 'vitest';
import { zohoApiBase } from '../../../../src/sync/vendors/zoho/zoho-api-base.js';

const CONFIGURED = 'https://www.zohoapis.com';

describe('zohoApiBase', () => {
  it("takes an https api_domain on Zoho's own API hosts of any data centre", () => {
    for (const d of ['https://www.zohoapis.eu', 'https://www.zohoapis.com.au', 'https://crm.zohoapis.in', 'https://WWW.ZOHOAPIS.SA/']) {
      expect(zohoApiBase(d, CONFIGURED), d).toEqual({ base: new URL(d).origin, refused: null, overridden: null });
    }
  });

  it('takes the configured API origin itself, keeping the configured URL (with its path)', () => {
    expect(zohoApiBase('http://127.0.0.1:8080', 'http://127.0.0.1:8080/proxy')).toEqual({ base: 'http://127.0.0.1:8080/proxy', refused: null, overridden: null });
    expect(zohoApiBase(null, CONFIGURED)).toEqual({ base: CONFIGURED, refused: null, overridden: null });
  });

  it('refuses plain http, other hosts, look-alikes, odd ports and garbage, keeping the configured URL', () => {
    const refused: [string, string][] = [
      ['http://www.zohoapis.eu', 'http://www.zohoapis.eu'],
      ['https://evil.example.com', 'https://evil.example.com'],
      ['https://www.zohoapis.eu.evil.com', 'https://www.zohoapis.eu.evil.com'],
      ['https://zohoapis.com.evil.net', 'https://zohoapis.com.evil.net'],
      ['https://notzohoapis.com', 'https://notzohoapis.com'],
      ['https://www.zohoapis.eu:8443', 'https://www.zohoapis.eu:8443'],
      ['http://127.0.0.1:9', 'http://127.0.0.1:9'],
      ['not a url', 'not a url'],
    ];
    for (const [domain, origin] of refused) expect(zohoApiBase(domain, CONFIGURED), domain).toEqual({ base: CONFIGURED, refused: origin, overridden: null });
  });

  it('keeps an explicitly configured API URL (a proxy or sandbox) whatever api_domain says, noting what it overrode', () => {
    const proxy = 'http://127.0.0.1:8080/zoho';
    expect(zohoApiBase('https://www.zohoapis.eu', proxy, true)).toEqual({ base: proxy, refused: null, overridden: 'https://www.zohoapis.eu' });
    expect(zohoApiBase('https://evil.example.com', proxy, true)).toEqual({ base: proxy, refused: null, overridden: 'https://evil.example.com' });
    expect(zohoApiBase('http://127.0.0.1:8080', proxy, true)).toEqual({ base: proxy, refused: null, overridden: null });
    expect(zohoApiBase(null, proxy, true)).toEqual({ base: proxy, refused: null, overridden: null });
  });
});
