/**
 * Masking of personal data in logs: phone numbers and e-mail addresses, and nothing else.
 * Every logger in Keyline runs its output through `maskValue`, so a phone number or an email
 * never reaches CloudWatch in the clear, while timestamps, Connect ContactIds, waybills, ULIDs and
 * ARNs stay whole: an operator searches the logs by them.
 *
 * A phone number is recognised by its shape, not by "a run of digits":
 * - E.164 (`+` and 8–15 digits, spaces or dashes allowed between groups);
 * - a Chinese mobile number (11 digits, 1[3-9]…), compact or grouped 3-4-4;
 * - a Chinese fixed line with its trunk 0 and area code (`021-5888 1234`, `(0755) 8888 1234`);
 * - a 400/800 service number (`400-820-8888`).
 * A candidate counts only when it stands on its own: not glued to letters or digits, and not
 * inside a time, a path, a UUID or an ARN (`:`, `/`, `.`, `-` or `_` before or after it).
 */
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-])[A-Za-z0-9.-]*\.([A-Za-z]{2,})/g;

const BEFORE = String.raw`(?<![\w.:/_+-])`;
const AFTER = String.raw`(?![\w:/_]|[.-]\d)`;
const PHONE = new RegExp(
  [
    String.raw`\+\d{1,3}(?:[ -]?\d{2,5}){2,5}`,
    String.raw`1[3-9]\d(?:[ -]?\d{4}){2}`,
    String.raw`\(?0\d{2,3}\)?[ -]?\d{3,4}[ -]?\d{4}`,
    String.raw`[48]00[ -]?\d{3}[ -]?\d{4}`,
  ]
    .map((p) => `${BEFORE}(?:${p})${AFTER}`)
    .join('|'),
  'g',
);

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

/** Masks emails, then phone numbers, inside a free-form string. */
export function maskString(value: string): string {
  return maskEmail(value).replace(PHONE, (m) => (m.replace(/\D/g, '').length >= 7 ? maskPhone(m) : m));
}

/** JSON replacer for the Powertools logger: every string value is masked. */
export function maskValue(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? maskString(value) : value;
}
