/**
 * ALLOWED_EMAIL_DOMAINS: true when the address is in one of the domains, or when none are set (everyone
 * may use the bot). Compared case-insensitively on the part after the last "@".
 */
export function isAllowedEmail(email: string, domains: readonly string[]): boolean {
  if (domains.length === 0) return true;
  const at = email.lastIndexOf('@');
  const domain =
    at < 0
      ? ''
      : email
          .slice(at + 1)
          .trim()
          .toLowerCase();
  return domain !== '' && domains.some((d) => d.trim().toLowerCase() === domain);
}
