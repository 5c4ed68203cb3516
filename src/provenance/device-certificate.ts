// The X.509 certificate a C2PA signature must carry, made on the device from the device's own
// key (@peculiar/x509 over WebCrypto; no ASN.1 by hand). Nobody vouches for it: it is
// self-signed, so every C2PA validator reports the signer as untrusted (not on the C2PA trust
// list). What it does give is a public key bound into the signature: a file whose signature
// checks was not changed after the holder of that key signed it. Each video gets its own key and
// certificate (device-key.ts), so no two files share one and none can be tied to another by it.
//
// The profile is the one c2pa-rs (the validator inside c2pa-web, c2patool and the CAI's verify
// site) demands of a signer's certificate, crypto/cose/certificate_profile.rs:
//   - version 3, signed with ecdsa-with-SHA256, a P-256 key;
//   - an end entity: basicConstraints cA = FALSE (a self-signed certificate is refused only when it is a CA);
//   - keyUsage digitalSignature and not keyCertSign;
//   - an extendedKeyUsage, required of an end entity, from the C2PA list and not anyExtendedKeyUsage:
//     here c2pa-kp-claimSigning (1.3.6.1.4.1.62558.2.1), the one the C2PA specification defines for claim signers;
//   - an authorityKeyIdentifier (required of every certificate), here the key's own identifier;
//   - no issuer or subject unique ids, no critical extension it does not know;
//   - valid when the file is checked: without a time-stamp (which would need a network service)
//     the validity is checked at validation time, so it never expires (RFC 5280's 99991231235959Z).
import 'reflect-metadata'; // @peculiar/x509's dependency injection (tsyringe) needs the Reflect metadata API
import * as x509 from '@peculiar/x509';

/** c2pa-kp-claimSigning, C2PA Technical Specification §14.5.1. */
export const C2PA_CLAIM_SIGNING_EKU = '1.3.6.1.4.1.62558.2.1';

/** Says what the certificate is, and that nobody checked it; names no person and no machine. */
export const DEVICE_CERTIFICATE_SUBJECT = 'CN=Kinora on one device (self-signed; not verified by anyone), O=Kinora';

/** "No well-defined expiration date" (RFC 5280 §4.1.2.5). */
const NEVER_EXPIRES = new Date('9999-12-31T23:59:59Z');
/** Not-before an hour ago: a validator whose clock runs a little behind still finds it valid. */
const CLOCK_SKEW_MS = 60 * 60 * 1000;

/** A self-signed end-entity certificate for `keys` (ECDSA P-256), DER-encoded. */
export async function makeDeviceCertificate(keys: CryptoKeyPair, now = new Date()): Promise<Uint8Array<ArrayBuffer>> {
  const serial = crypto.getRandomValues(new Uint8Array(16));
  serial[0] &= 0x7f; // a positive INTEGER
  serial[0] |= 0x01; // of full length (no leading zero byte to strip)
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: [...serial].map((b) => b.toString(16).padStart(2, '0')).join(''),
    name: DEVICE_CERTIFICATE_SUBJECT,
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    notAfter: NEVER_EXPIRES,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([C2PA_CLAIM_SIGNING_EKU], false),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return new Uint8Array(certificate.rawData);
}
