// Who a failed sign-in names in the audit log. People type passwords into the username field, so a
// name that is not an account is never stored as typed: it becomes `unknown user #<tag>`, a short
// keyed HMAC (the server's token key), so repeated attempts with one name still correlate while the
// text itself cannot be read back or checked against guesses without the server's key.
import { createHmac } from 'node:crypto';

/** Characters of base64url kept: 48 bits, plenty to tell attempts apart. */
const TAG_LENGTH = 8;

export function unknownUserLabel(key: Buffer, typedName: string): string {
  const tag = createHmac('sha256', key).update('audit actor\0').update(typedName, 'utf8').digest('base64url').slice(0, TAG_LENGTH);
  return `unknown user #${tag}`;
}
