// The device's signing identity: an ECDSA P-256 key pair made with WebCrypto and the self-signed
// certificate for it (device-certificate.ts), kept together in IndexedDB so that this browser
// signs every video with the same key, across reloads and visits, and can later tell its own
// files from others' (c2pa-verify.ts).
//
// The private key is made non-extractable: scripts of this origin can sign with it, but its bytes
// can never be read out, exported or sent anywhere. IndexedDB stores the CryptoKey object itself
// (structured clone), not key material.
//
// One identity per origin, not per base path: the gallery of a copy under /alice/ is its own,
// but the key says "this browser on this device", and every copy on the origin is that. It is
// lost with the site's data ("clear site data" in the browser); files signed before then still
// verify as unchanged, but read as signed by another device.
import { createStore, get, update, type UseStore } from 'idb-keyval';

export const ES256_KEY_ALGORITHM: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };

export interface SigningIdentity {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** DER X.509 certificate of publicKey, the one every signature carries. */
  certificate: Uint8Array;
}

interface StoredIdentity extends SigningIdentity {
  format: 1;
  createdAt: string;
}

const DATABASE_NAME = 'kinora-device-signing';
const RECORD_KEY = 'device';

let store: UseStore | undefined;
function identityStore(): UseStore {
  store ??= createStore(DATABASE_NAME, 'identity');
  return store;
}

function isStoredIdentity(value: unknown): value is StoredIdentity {
  const v = value as Partial<StoredIdentity> | undefined;
  return (
    v?.format === 1 &&
    v.privateKey instanceof CryptoKey &&
    v.publicKey instanceof CryptoKey &&
    v.certificate instanceof Uint8Array &&
    v.certificate.length > 0
  );
}

/** A fresh identity held only in memory (the device's is made this way, then stored). */
export async function createSigningIdentity(): Promise<SigningIdentity> {
  // Loaded only here: the X.509 library is needed once per profile, and a page that only checks
  // files (c2pa-verify.ts reads the stored identity) never loads it.
  const { makeDeviceCertificate } = await import('./device-certificate');
  const keys = await crypto.subtle.generateKey(ES256_KEY_ALGORITHM, false, ['sign', 'verify']);
  return { privateKey: keys.privateKey, publicKey: keys.publicKey, certificate: await makeDeviceCertificate(keys) };
}

/** This device's identity if it has made one, without making one. */
export async function storedDeviceIdentity(): Promise<SigningIdentity | undefined> {
  const found: unknown = await get(RECORD_KEY, identityStore());
  return isStoredIdentity(found) ? found : undefined;
}

/**
 * This device's identity, made and stored on first use. Two tabs signing their first video at
 * once both make a candidate, but the store keeps the first one written (one read-write
 * transaction decides) and both then sign with that one.
 */
export async function deviceSigningIdentity(): Promise<SigningIdentity> {
  const existing = await storedDeviceIdentity();
  if (existing) return existing;
  const candidate: StoredIdentity = { format: 1, ...(await createSigningIdentity()), createdAt: new Date().toISOString() };
  await update<unknown>(RECORD_KEY, (current) => (isStoredIdentity(current) ? current : candidate), identityStore());
  const kept = await storedDeviceIdentity();
  if (!kept) throw new Error('The browser did not keep the signing key in its storage.');
  return kept;
}
