/**
 * Masking of personal data in logs. Every logger in Keyline runs its output through
 * `maskValue`, so a phone number or an email never reaches CloudWatch in the clear.
 */
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-])[A-Za-z0-9.-]*\.([A-Za-z]{2,})/g;
/** E.164 or a national number of 7+ digits, with the separators people type. */
const PHONE = /(\+?\d[\d\s().-]{5,}\d)/g;

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return phone;
  const plus = phone.trim().startsWith('+') ? '+' : '';
  return `${plus}${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

export function maskEmail(email: string): string {
  return email.replace(
    EMAIL,
    (_m, first: string, domainFirst: string, tld: string) => `${first}***@${domainFirst}***.${tld}`,
  );
}

/** Masks emails, then anything shaped like a phone number, inside a free-form string. */
export function maskString(value: string): string {
  return maskEmail(value).replace(PHONE, (m) => (m.replace(/\D/g, '').length >= 7 ? maskPhone(m) : m));
}

/** JSON replacer for the Powertools logger: every string value is masked. */
export function maskValue(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? maskString(value) : value;
}
