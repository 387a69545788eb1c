// The libtrust key ID that distribution 2.8 matches against the JWT `kid` header
// (docs/registry-token-service.md, "Signing keys"; libtrust's keyIDFromCryptoKey): SHA-256 of the DER SubjectPublicKeyInfo, first 30 bytes,
// base32 without padding (48 characters), 12 groups of 4 joined by ':'.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding. 30 bytes are a multiple of 5, so no padding arises anyway. */
function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/** libtrust key ID of a public key given as its DER SubjectPublicKeyInfo. */
export function libtrustKeyIdFromSpki(spkiDer: Uint8Array): string {
  const digest = createHash('sha256').update(spkiDer).digest().subarray(0, 30);
  const encoded = base32(digest);
  return encoded.match(/.{4}/g)?.join(':') ?? encoded;
}

/** libtrust key ID of a public (or private) key. */
export function libtrustKeyId(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return libtrustKeyIdFromSpki(pub.export({ type: 'spki', format: 'der' }));
}
