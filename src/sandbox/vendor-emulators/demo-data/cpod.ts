/** Demo data for the cPod emulator: a tenant's software licenses and seat assignments (example.com people). */

export const CPOD_DEMO_TENANT = 'ten_01JBX4Q2ZK7M3N8P5R6S9T0V1W';

export interface CpodDemoLicense {
  id: string;
  tenant_id: string;
  created_at: string;
  updated_at: string;
  created_by: string | null;
  updated_by: string | null;
  source: string;
  source_type: string;
  is_deleted: boolean;
  deleted_at: string | null;
  deleted_by: string | null;
  schema_version: number;
  asset_id: string | null;
  vendor: string;
  product_name: string;
  product_sku: string | null;
  license_type: string;
  total_seats: number | null;
  /** Computed by the emulator from active assignments when served. */
  used_seats: number;
  available_seats: number | null;
  cost: unknown;
  purchase_date: string | null;
  expiry_date: string | null;
  renewal_date: string | null;
  auto_renew: boolean;
  supplier_id: string | null;
  contract_reference: string | null;
  status: string;
  compliance_status: string;
  tags: string[];
  list_price: number | null;
  negotiated_discount: number | null;
  cost_center_id: string | null;
  contract_id: string | null;
}

export interface CpodDemoAssignment {
  id: string;
  tenant_id: string;
  created_at: string;
  updated_at: string;
  created_by: string | null;
  source: string;
  source_type: string;
  is_deleted: boolean;
  deleted_at: string | null;
  deleted_by: string | null;
  schema_version: number;
  license_id: string;
  assignee_id: string;
  assignee_type: string;
  asset_id: string | null;
  assigned_at: string;
  assigned_by_id: string | null;
  expires_at: string | null;
  status: string | null;
  last_used_at: string | null;
  /** Not a documented field: what a create sent (the bot sends the holder's email), kept as servers echo extras. */
  assignee_email?: string | null;
}

export interface CpodDemoData {
  licenses: CpodDemoLicense[];
  assignments: CpodDemoAssignment[];
}

const ADMIN = 'per_01JBX4R0AD31N5Q7W2E4R6T8Y0';

export const CPOD_LICENSE_IDS = {
  acrobat: 'lic_01JBX5A1C2R0B4T8PR0ACROBAT',
  jetbrains: 'lic_01JBX5B2D3J7E8T9BR4A1NSPRD',
  figma: 'lic_01JBX5C3E4F5I6G7MA8PR0FESS',
  slack: 'lic_01JBX5D4F5S6L7A8CK9GR1DENT',
  jira: 'lic_01JBX5E5G6J7I8R9AS0FTWARE1',
  sketch: 'lic_01JBX5F6H7S8K9E0TC1HRET1RD',
} as const;

function license(
  p: Partial<CpodDemoLicense> & Pick<CpodDemoLicense, 'id' | 'vendor' | 'product_name' | 'license_type'>,
): CpodDemoLicense {
  return {
    tenant_id: CPOD_DEMO_TENANT,
    created_at: '2025-02-03T10:00:00Z',
    updated_at: '2026-10-01T08:30:00Z',
    created_by: ADMIN,
    updated_by: ADMIN,
    source: 'edm',
    source_type: 'frontend',
    is_deleted: false,
    deleted_at: null,
    deleted_by: null,
    schema_version: 3,
    asset_id: null,
    product_sku: null,
    total_seats: null,
    used_seats: 0,
    available_seats: null,
    cost: null,
    purchase_date: null,
    expiry_date: null,
    renewal_date: null,
    auto_renew: false,
    supplier_id: null,
    contract_reference: null,
    status: 'active',
    compliance_status: 'compliant',
    tags: [],
    list_price: null,
    negotiated_discount: null,
    cost_center_id: 'cc_01JBX4S1ENG1NEER1NG0000001',
    contract_id: null,
    ...p,
  };
}

const PEOPLE = [
  'ava.thompson',
  'liam.nguyen',
  'mia.garcia',
  'noah.patel',
  'emma.schmidt',
  'lucas.rossi',
  'sofia.kowalski',
  'ethan.okafor',
  'chloe.dubois',
  'mateo.silva',
  'hannah.berg',
  'owen.murphy',
  'isla.tanaka',
  'leo.haddad',
  'zoe.andersen',
  'ravi.iyer',
  'grace.kim',
  'felix.weber',
  'nora.lindqvist',
  'omar.farouk',
  'paul.meyer',
  'julia.costa',
  'tom.baker',
  'amy.chen',
  'ben.walsh',
  'lena.vogel',
  'sam.price',
  'ivy.moreau',
];

/** Stable person id for the n-th demo person (cPod does not return emails on assignments). */
export function cpodPersonId(n: number): string {
  return `per_01JBX6${String(n).padStart(4, '0')}${(PEOPLE[n] ?? 'x')
    .replace(/[^a-z]/g, '')
    .toUpperCase()
    .padEnd(16, 'Q')
    .slice(0, 16)}`;
}

let seq = 0;
function assignment(licenseId: string, n: number, p: Partial<CpodDemoAssignment> = {}): CpodDemoAssignment {
  seq += 1;
  const day = String((seq % 27) + 1).padStart(2, '0');
  return {
    id: `lca_01JBX7${String(seq).padStart(20, '0')}`,
    tenant_id: CPOD_DEMO_TENANT,
    created_at: `2026-03-${day}T09:00:00Z`,
    updated_at: `2026-03-${day}T09:00:00Z`,
    created_by: ADMIN,
    source: 'edm',
    source_type: 'api',
    is_deleted: false,
    deleted_at: null,
    deleted_by: null,
    schema_version: 2,
    license_id: licenseId,
    assignee_id: cpodPersonId(n),
    assignee_type: 'Person',
    asset_id: null,
    assigned_at: `2026-03-${day}T09:00:00Z`,
    assigned_by_id: ADMIN,
    expires_at: null,
    status: 'active',
    last_used_at: `2026-11-${String((seq % 20) + 1).padStart(2, '0')}T16:45:00Z`,
    ...p,
  };
}

/** A fresh copy each call, so an emulator can mutate its own data. */
export function cpodDemoData(): CpodDemoData {
  seq = 0;
  const L = CPOD_LICENSE_IDS;
  const licenses: CpodDemoLicense[] = [
    license({
      id: L.acrobat,
      vendor: 'Adobe',
      product_name: 'Adobe Acrobat Pro',
      product_sku: '65324099BA01A12',
      license_type: 'named_user',
      total_seats: 30,
      cost: { currency: 'USD', amount: 5400, period: 'year' },
      purchase_date: '2025-04-01T00:00:00Z',
      expiry_date: '2027-03-31T23:59:59Z',
      renewal_date: '2027-03-01T00:00:00Z',
      auto_renew: true,
      contract_reference: 'PO-2025-0412',
      list_price: 239.88,
      negotiated_discount: 25,
      tags: ['design', 'documents'],
    }),
    license({
      id: L.jetbrains,
      vendor: 'JetBrains',
      product_name: 'JetBrains All Products',
      product_sku: 'ALL-C-Y',
      license_type: 'concurrent',
      total_seats: 10,
      purchase_date: '2025-09-15T00:00:00Z',
      expiry_date: '2027-09-14T23:59:59Z',
      renewal_date: '2027-09-14T00:00:00Z',
      auto_renew: false,
      contract_reference: 'JB-778812',
      list_price: 779,
      tags: ['engineering'],
    }),
    license({
      id: L.figma,
      vendor: 'Figma',
      product_name: 'Figma Professional',
      product_sku: 'FIG-PRO-ANNUAL',
      license_type: 'named_user',
      total_seats: 8,
      purchase_date: '2026-01-10T00:00:00Z',
      expiry_date: '2027-01-09T23:59:59Z',
      renewal_date: '2027-01-09T00:00:00Z',
      auto_renew: true,
      status: 'expiring_soon',
      compliance_status: 'over_allocated',
      contract_reference: 'FIG-2026-01',
      list_price: 180,
      tags: ['design'],
    }),
    license({
      id: L.slack,
      vendor: 'Salesforce',
      product_name: 'Slack Enterprise Grid',
      product_sku: null,
      license_type: 'site',
      total_seats: null,
      purchase_date: '2024-06-01T00:00:00Z',
      expiry_date: null,
      renewal_date: '2027-06-01T00:00:00Z',
      auto_renew: true,
      contract_reference: 'MSA-SLK-2024',
      compliance_status: 'compliant',
      tags: ['collaboration'],
    }),
    license({
      id: L.jira,
      vendor: 'Atlassian',
      product_name: 'Jira Software Cloud Premium',
      product_sku: 'JIRA-PREM-50',
      license_type: 'named_user',
      total_seats: 50,
      purchase_date: '2025-12-20T00:00:00Z',
      expiry_date: '2026-12-19T23:59:59Z',
      renewal_date: '2026-12-19T00:00:00Z',
      auto_renew: false,
      status: 'expiring_soon',
      compliance_status: 'under_utilized',
      contract_reference: 'ATL-55120',
      tags: ['engineering'],
    }),
    license({
      id: L.sketch,
      vendor: 'Sketch',
      product_name: 'Sketch Teams',
      product_sku: 'SK-TEAM',
      license_type: 'named_user',
      total_seats: 5,
      purchase_date: '2023-05-01T00:00:00Z',
      expiry_date: '2024-04-30T23:59:59Z',
      renewal_date: null,
      status: 'expired',
      is_deleted: true,
      deleted_at: '2024-06-01T12:00:00Z',
      deleted_by: ADMIN,
    }),
  ];
  const assignments: CpodDemoAssignment[] = [];
  for (let n = 0; n < 24; n++) assignments.push(assignment(L.acrobat, n));
  // One Acrobat seat was taken back: soft-deleted, and one revoked.
  assignments.push(
    assignment(L.acrobat, 24, { is_deleted: true, deleted_at: '2026-06-02T10:00:00Z', deleted_by: ADMIN }),
  );
  assignments.push(assignment(L.acrobat, 25, { status: 'revoked' }));
  for (let n = 0; n < 7; n++) assignments.push(assignment(L.jetbrains, n + 5, { last_used_at: null }));
  // Figma: 9 active on 8 seats (over-allocated) plus one pending invitation.
  for (let n = 0; n < 10; n++) {
    assignments.push(
      assignment(L.figma, n + 2, n === 9 ? { status: 'pending', expires_at: '2027-01-09T23:59:59Z' } : {}),
    );
  }
  assignments.push(
    assignment(L.slack, 0, {
      assignee_type: 'Group',
      assignee_id: 'grp_01JBX8ALLEMPLOYEES0000000',
      last_used_at: null,
    }),
  );
  for (let n = 0; n < 12; n++)
    assignments.push(assignment(L.jira, n + 10, { status: n === 0 ? null : 'active' }));
  // Seats of the deleted Sketch license: skipped with it.
  assignments.push(assignment(L.sketch, 3), assignment(L.sketch, 4));
  return { licenses, assignments };
}

/** An unsigned-looking demo JWT carrying the tenant claim (the emulator only compares it to its accepted list). */
export function cpodDemoJwt(tenantId: string = CPOD_DEMO_TENANT, subject = ADMIN): string {
  const part = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: subject, tenant_id: tenantId, iat: 1767225600 })}.${Buffer.from(`demo-signature:${tenantId}`).toString('base64url')}`;
}
