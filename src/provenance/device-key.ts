// Signing identities: a fresh ECDSA P-256 key pair, made with WebCrypto, and its self-signed
// certificate (device-certificate.ts) for every video. One key for all of a device's videos would
// let anyone who holds two of its files tie them together by the certificate they share (its
// serial and public key), even with the prompt left out (issue 24, defect 4); a key per video
// ties nothing to anything.
//
// The private key is non-extractable and never stored: it signs its one video and is dropped, so
// no script, not even this origin's, can sign with it again. The certificate is kept in IndexedDB
// (`kinora-device-signing`), which is how the checker can still say "made on this device":
// c2pa-verify.ts gives the SDK every certificate this device kept as the ones it may trust, and
// a file reads so only if its signature verifies under one of them. The certificates are lost
// with the site's data ("clear site data"); files signed before then still verify as unchanged,
// but read as signed by another device.
//
// One store per origin, not per base path: "this device" means this browser profile, and every
// copy of Kinora on the origin is that.
import { createStore, entries, set, type UseStore } from 'idb-keyval';

export const ES256_KEY_ALGORITHM: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };

export interface SigningIdentity {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** DER X.509 certificate of publicKey, the one the signature carries. */
  certificate: Uint8Array;
}

/** A certificate this device signed one video with. */
interface KeptCertificate {
  format: 2;
  certificate: Uint8Array;
  createdAt: string;
}

const DATABASE_NAME = 'kinora-device-signing';
/** Where versions before the key per video kept their one device identity: its certificate still says "this device". */
const EARLIER_DEVICE_RECORD = 'device';
const CERTIFICATE_PREFIX = 'certificate:';

let store: UseStore | undefined;
function identityStore(): UseStore {
  store ??= createStore(DATABASE_NAME, 'identity');
  return store;
}

function certificateOf(value: unknown): Uint8Array | undefined {
  const v = value as Partial<KeptCertificate> | { format?: unknown; certificate?: unknown } | undefined;
  const kept = (v?.format === 2 || v?.format === 1) && v.certificate instanceof Uint8Array && v.certificate.length > 0;
  return kept ? (v.certificate as Uint8Array) : undefined;
}

/** Starts loading what a signature needs (the X.509 library), so the first one of a visit does not wait for it. */
export function prepareSigningIdentity(): Promise<void> {
  return import('./device-certificate').then(() => undefined);
}

/** A fresh identity held only in memory, remembered nowhere. */
export async function createSigningIdentity(): Promise<SigningIdentity> {
  // Loaded only here: a page that only checks files (c2pa-verify.ts reads the kept certificates) never loads it.
  const { makeDeviceCertificate } = await import('./device-certificate');
  const keys = await crypto.subtle.generateKey(ES256_KEY_ALGORITHM, false, ['sign', 'verify']);
  return { privateKey: keys.privateKey, publicKey: keys.publicKey, certificate: await makeDeviceCertificate(keys) };
}

/**
 * A fresh identity for one video, its certificate kept as this device's before anything is signed
 * with it (a file signed but not remembered would read as another device's). Throws when the
 * browser does not keep it (no IndexedDB in some private windows): the video is then not signed.
 */
export async function videoSigningIdentity(): Promise<SigningIdentity> {
  const identity = await createSigningIdentity();
  const kept: KeptCertificate = { format: 2, certificate: identity.certificate, createdAt: new Date().toISOString() };
  await set(`${CERTIFICATE_PREFIX}${crypto.randomUUID()}`, kept, identityStore());
  return identity;
}

/** Every certificate this device has signed with: one per video, and the one device key of earlier versions. */
export async function deviceCertificates(): Promise<Uint8Array[]> {
  const records = await entries<IDBValidKey, unknown>(identityStore());
  return records
    .filter(([key]) => key === EARLIER_DEVICE_RECORD || (typeof key === 'string' && key.startsWith(CERTIFICATE_PREFIX)))
    .flatMap(([, value]) => certificateOf(value) ?? []);
}
