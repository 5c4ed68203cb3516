// Checks a file's C2PA manifest with the CAI's SDK and says, in three states, what it found:
//   absent   — no manifest (or a format the SDK cannot read);
//   invalid  — a manifest whose integrity fails: the file's bytes or the manifest changed after
//              signing (a hash mismatch), or the signature does not verify, or it cannot be parsed;
//   valid    — the signature verifies and every hash matches. Who signed it is told apart only
//              as this device or another one: Kinora's certificates are self-signed, so no
//              validator trusts them, and "untrusted" alone does not make a file invalid.
//
// "this-device" is the SDK's own verdict, not a comparison of names: the device's certificate is
// given to the SDK as the one end-entity certificate it may trust (trust.allowedList, matched by
// the sha256 of the whole certificate, its public key included). The SDK verifies the signature
// with the certificate the file carries, so a file reads "Trusted" only if it was signed by the
// private key of this device's certificate, which never leaves this device. Every other valid
// file reads "Valid" (signingCredential.untrusted): another device.
import type { ManifestStore, Settings, ValidationStatus } from '@contentauth/c2pa-web';
import { isSupportedReaderFormat } from '@contentauth/c2pa-web';
import { completeFacts, factsOfManifest, type C2paFacts } from './c2pa-facts';
import { c2paSdk } from './c2pa-sdk';
import { certificatePem } from './device-certificate';
import { storedDeviceIdentity } from './device-key';

export type { C2paFacts } from './c2pa-facts';

export type C2paVerdict =
  | { state: 'absent' }
  | { state: 'valid'; facts: C2paFacts; signer: 'this-device' | 'another-device' }
  | { state: 'invalid'; reason: string; facts?: Partial<C2paFacts> };

/** The SDK's "no manifest here" error (its reader turns it into null; older paths throw it). */
const NO_MANIFEST = /JumbfNotFound|NotFound|No ?Claim|ProvenanceMissing/i;

function describe(status: ValidationStatus): string {
  return status.explanation ? `${status.code} (${status.explanation})` : status.code;
}

/** Failures other than the signer being untrusted, which every self-signed file has. */
function integrityFailures(store: ManifestStore): ValidationStatus[] {
  const failures = store.validation_results?.activeManifest?.failure ?? store.validation_status ?? [];
  return failures.filter((s) => s.code !== 'signingCredential.untrusted');
}

export async function verifyC2pa(bytes: Uint8Array, mimeType: string): Promise<C2paVerdict> {
  if (!isSupportedReaderFormat(mimeType)) return { state: 'absent' };
  const device = await storedDeviceIdentity();
  const settings: Settings = {
    verify: { verifyTrust: true, verifyAfterReading: true },
    ...(device ? { trust: { allowedList: certificatePem(device.certificate) } } : {}),
  };
  const sdk = await c2paSdk();
  let reader;
  try {
    reader = await sdk.reader.fromBlob(mimeType, new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mimeType }), settings);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (NO_MANIFEST.test(message)) return { state: 'absent' };
    return { state: 'invalid', reason: `The file's Content Credentials could not be read: ${message}` };
  }
  if (!reader) return { state: 'absent' };
  try {
    const store = await reader.manifestStore();
    const active = store.active_manifest ? store.manifests?.[store.active_manifest] : undefined;
    const facts = active ? factsOfManifest(active) : undefined;
    const failures = integrityFailures(store);
    if (!active || store.validation_state === 'Invalid' || failures.length > 0) {
      const reason = failures.length > 0 ? failures.map(describe).join('; ') : active ? 'The SDK found the manifest invalid.' : 'The manifest store has no active manifest.';
      return { state: 'invalid', reason, ...(facts ? { facts } : {}) };
    }
    return { state: 'valid', facts: completeFacts(facts ?? {}), signer: store.validation_state === 'Trusted' && device ? 'this-device' : 'another-device' };
  } finally {
    await reader.free();
  }
}
