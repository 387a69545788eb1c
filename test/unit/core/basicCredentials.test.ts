// The one Basic-auth parser (RFC 7617) every entry point uses: the token service and the Authenticator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBasicAuthorization, type BasicAuthorization } from '../../../src/core/authentication/basicCredentials.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const credentials = (userId: string, password: string): BasicAuthorization => ({ kind: 'credentials', userId, password });
const malformed: BasicAuthorization = { kind: 'malformed' };
const absent: BasicAuthorization = { kind: 'absent' };

const table: Array<[string, string | undefined, BasicAuthorization]> = [
  ['a user and a password', `Basic ${b64('alice:secret')}`, credentials('alice', 'secret')],
  ['the scheme in any case', `bAsIc ${b64('alice:secret')}`, credentials('alice', 'secret')],
  ['several spaces before the token, trailing spaces', `Basic   ${b64('alice:secret')}  `, credentials('alice', 'secret')],
  ['the password may hold colons (the user-id ends at the first)', `Basic ${b64('alice:a:b:c')}`, credentials('alice', 'a:b:c')],
  ['an empty password', `Basic ${b64('alice:')}`, credentials('alice', '')],
  ['an empty user-id (the grammar allows it; callers refuse it)', `Basic ${b64(':secret')}`, credentials('', 'secret')],
  ['UTF-8 (RFC 7617 §2.1)', `Basic ${b64('zoë:pässwörd')}`, credentials('zoë', 'pässwörd')],
  ['a PAT as the password', `Basic ${b64('alice:bosun_pat_abc')}`, credentials('alice', 'bosun_pat_abc')],
  ['no header', undefined, absent],
  ['another scheme', 'Bearer abc.def.ghi', absent],
  ['a scheme that only starts like Basic', `Basically ${b64('alice:secret')}`, absent],
  ['no colon in the decoded text', `Basic ${b64('alice')}`, malformed],
  ['no token', 'Basic ', malformed],
  ['the scheme alone', 'Basic', malformed],
  ['not base64', 'Basic alice:secret', malformed],
  ['base64 without its padding', `Basic ${b64('alice:secre').replace(/=+$/, '')}`, malformed],
  ['base64url characters', 'Basic YWxp-2U6_2VjcmV0', malformed],
  ['text after the token', `Basic ${b64('alice:secret')} extra`, malformed],
  ['too much padding', 'Basic YQ===', malformed],
];

for (const [name, header, expected] of table) {
  test(`Basic authorization: ${name}`, () => {
    assert.deepEqual(parseBasicAuthorization(header), expected);
  });
}
