/** "€162.00", "US$5.40", or "162.00" when the currency is not known. */
export function formatMoney(amount: number, currency: string | null): string {
  if (currency === null) return amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  try {
    return amount.toLocaleString('en-US', { style: 'currency', currency });
  } catch {
    return `${currency} ${amount.toFixed(2)}`;
  }
}
