// A self-signed X.509 certificate for the token signing key. distribution reads its trusted keys
// from `rootcertbundle` (PEM certificates) and, in 3.x, verifies the JWT's `x5c` chain against
// them, so the key needs a certificate, not just a public key.
//
// @peculiar/x509 builds the certificate (Node has no certificate generator); it needs the
// reflect-metadata polyfill, loaded first for its dependency-injection container.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, randomBytes, webcrypto, type KeyObject } from 'node:crypto';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
/** Long-lived: rotation, not expiry, retires a signing key (bosun server rotate-signing-key). */
const VALIDITY_DAYS = 5 * 365;

export interface GeneratedSigningKey {
  privateKeyPem: string;
  certificatePem: string;
}

/** A fresh P-256 key and its self-signed certificate, both PEM. */
export async function generateSigningKey(now = new Date()): Promise<GeneratedSigningKey> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const notBefore = new Date(now.getTime() - 60_000); // tolerate small clock differences with the registry
  const notAfter = new Date(now.getTime() + VALIDITY_DAYS * 86_400_000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(16)
      .toString('hex')
      .replace(/^[89a-f]/, '1'), // positive
    name: `CN=Bosun registry token signer ${now.toISOString().slice(0, 10)}`,
    notBefore,
    notAfter,
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const privateKey: KeyObject = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificatePem: cert.toString('pem'),
  };
}
