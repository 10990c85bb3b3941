/** Demo data for the Zoho CRM emulator: one Enterprise org with 25 purchased seats (example.com people). */

export interface ZohoDemoUser {
  id: string;
  zuid: string;
  email: string;
  full_name: string;
  first_name: string;
  last_name: string;
  /** Zoho values seen in the wild: 'active', 'disabled', 'deleted'. */
  status: string;
  confirm: boolean;
  profile: { name: string; id: string };
  role: { name: string; id: string };
  created_time: string;
  Modified_Time: string;
}

export interface ZohoDemoOrg {
  id: string;
  company_name: string;
  primary_email: string;
  domain_name: string;
  time_zone: string;
  currency: string;
  license_details: {
    paid: boolean;
    paid_type: string | null;
    paid_expiry: string | null;
    users_license_purchased: number;
    trial_type: string | null;
    trial_expiry: string | null;
    trial_action: string | null;
  };
}

export interface ZohoDemoData {
  org: ZohoDemoOrg;
  users: ZohoDemoUser[];
}

const PEOPLE: readonly (readonly [string, string])[] = [
  ['Ava', 'Thompson'],
  ['Liam', 'Nguyen'],
  ['Mia', 'Garcia'],
  ['Noah', 'Patel'],
  ['Emma', 'Schmidt'],
  ['Lucas', 'Rossi'],
  ['Sofia', 'Kowalski'],
  ['Ethan', 'Okafor'],
  ['Chloe', 'Dubois'],
  ['Mateo', 'Silva'],
  ['Hannah', 'Berg'],
  ['Owen', 'Murphy'],
  ['Isla', 'Tanaka'],
  ['Leo', 'Haddad'],
  ['Zoe', 'Andersen'],
  ['Ravi', 'Iyer'],
  ['Grace', 'Kim'],
  ['Felix', 'Weber'],
  ['Nora', 'Lindqvist'],
  ['Omar', 'Farouk'],
  // Deactivated: listed under AllUsers / DeactiveUsers only, hold no seat.
  ['Paul', 'Meyer'],
  ['Julia', 'Costa'],
];

const ORG_ID = '20081234567';

function user(i: number, first: string, last: string): ZohoDemoUser {
  const n = i + 1;
  const day = String((i % 27) + 1).padStart(2, '0');
  const month = String((i % 9) + 1).padStart(2, '0');
  const admin = i === 0;
  return {
    id: `5725767000000${String(410000 + n * 7)}`,
    zuid: String(80001000 + n),
    email: `${first}.${last}@example.com`.toLowerCase(),
    full_name: `${first} ${last}`,
    first_name: first,
    last_name: last,
    status: i >= 20 ? 'disabled' : 'active',
    // Two invited people have not confirmed yet: they hold a seat, shown as pending.
    confirm: !(i === 18 || i === 19),
    profile: admin
      ? { name: 'Administrator', id: '5725767000000026011' }
      : { name: 'Standard', id: '5725767000000026014' },
    role: admin
      ? { name: 'CEO', id: '5725767000000026005' }
      : { name: 'Sales Rep', id: '5725767000000231001' },
    created_time: `2025-${month}-${day}T09:${String(10 + (i % 40)).padStart(2, '0')}:00+05:30`,
    Modified_Time: `2026-${month}-${day}T14:00:00+05:30`,
  };
}

/** A fresh copy each call, so an emulator can mutate its own data. */
export function zohoDemoData(): ZohoDemoData {
  return {
    org: {
      id: ORG_ID,
      company_name: 'Example Corp',
      primary_email: 'crm-admin@example.com',
      domain_name: 'org20081234567',
      time_zone: 'Europe/Berlin',
      currency: 'EUR',
      license_details: {
        paid: true,
        paid_type: 'enterprise',
        paid_expiry: '2027-06-30T23:59:59+02:00',
        users_license_purchased: 25,
        trial_type: null,
        trial_expiry: null,
        trial_action: null,
      },
    },
    users: PEOPLE.map(([first, last], i) => user(i, first, last)),
  };
}
