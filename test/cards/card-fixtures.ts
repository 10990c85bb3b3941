import type { PoolUsage } from '../../src/domain/ledger-view.js';
import type { PoolFacts, PoolWithUsage } from '../../src/cards/card-data.js';

export const NOW = '2025-04-01T09:00:00.000Z';
/** User text that tries markdown links, mentions, emphasis, template syntax, quotes and emoji. */
// eslint-disable-next-line no-template-curly-in-string -- the literal `${...}` is the attack under test
export const NASTY = '[click me](https://evil.example) **bold** <@all> ${$root.title} "quoted" 🎉 _x_ `code`';

export function pool(i: number, extra: Partial<PoolFacts> = {}): PoolFacts {
  return {
    id: `webex:conn-1:lic-${String(i).padStart(3, '0')}`,
    productName: `Product ${String(i).padStart(3, '0')}`,
    vendor: 'webex',
    sku: `SKU-${i}`,
    state: 'active',
    retired: false,
    expiryDate: '2026-01-31T00:00:00.000Z',
    renewalDate: null,
    autoRenew: null,
    policy: { approval: 'required', minFreeSeats: 1 },
    syncedAt: '2025-04-01T06:00:00.000Z',
    unit: 'user',
    ...extra,
  };
}

export function usage(
  total: number | null,
  vendorUsed: number,
  ledgerOnly: number,
  pending: number,
  metered = true,
  invitations = 0,
): PoolUsage {
  const used = vendorUsed + ledgerOnly;
  return {
    total,
    metered,
    vendorUsed,
    ledgerOnly,
    used,
    pending: pending + invitations,
    pendingRequests: pending,
    pendingInvitations: invitations,
    available: total === null ? null : Math.max(0, total - used - pending - invitations),
  };
}

/** A realistic mix: a normal pool, an unlimited one, a low one, a retired one, one expiring in 5 days, nasty text. */
export function mixedPools(): PoolWithUsage[] {
  return [
    { pool: pool(1, { productName: 'Webex Meetings Pro' }), usage: usage(10, 5, 1, 1) }, // 3 of 10 free
    { pool: pool(2, { productName: 'Webex Calling', vendor: 'webex' }), usage: usage(null, 40, 2, 0) },
    {
      pool: pool(3, {
        productName: 'Meraki MR',
        vendor: 'meraki',
        policy: { approval: 'auto', minFreeSeats: 2 },
      }),
      usage: usage(5, 3, 0, 0),
    }, // 2 free: low
    {
      pool: pool(4, { productName: 'Old CRM', vendor: 'zoho_crm', retired: true, state: 'inactive' }),
      usage: usage(3, 0, 0, 0),
    },
    {
      pool: pool(5, { productName: 'CPOD Lab', vendor: 'cpod', expiryDate: '2025-04-06T00:00:00.000Z' }),
      usage: usage(20, 10, 0, 0),
    },
    { pool: pool(6, { productName: NASTY, vendor: 'zoho_crm' }), usage: usage(4, 1, 0, 0) },
  ];
}

export function manyPools(n: number): PoolWithUsage[] {
  return Array.from({ length: n }, (_, i) => ({ pool: pool(100 + i), usage: usage(10, i % 10, 0, 0) }));
}
