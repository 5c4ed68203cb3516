// Checks a file's C2PA manifest with the CAI's SDK and says, in three states, what it found:
//   absent   — no manifest (or a format the SDK cannot read, or a file too broken to hold one);
//   invalid  — a manifest whose integrity fails: the file's bytes or the manifest changed after
//              signing (a hash mismatch), or the signature does not verify, or a file that holds
//              a manifest store but is too damaged for the SDK to read;
//   valid    — the signature verifies and every hash matches. Who signed it is told apart only
//              as this device or another one: Kinora's certificates are self-signed, so no
//              validator trusts them, and "untrusted" alone does not make a file invalid.
//
// "this-device" is the SDK's own verdict, not a comparison of names: every certificate this
// device signed a video with (device-key.ts: a fresh key per video, its certificate kept) is given
// to the SDK as the end-entity certificates it may trust (trust.allowedList, matched by the sha256
// of the whole certificate, its public key included). The SDK verifies the signature with the
// certificate the file carries, so a file reads "Trusted" only if it was signed by the private key
// of one of them, which never left this device and was dropped after its one signature. Every
// other valid file reads "Valid" (signingCredential.untrusted): another device.
import type { ManifestStore, Settings, ValidationStatus } from '@contentauth/c2pa-web';
import { isSupportedReaderFormat } from '@contentauth/c2pa-web';
import { completeFacts, factsOfManifest, type C2paFacts } from './c2pa-facts';
import { c2paSdk } from './c2pa-sdk';
import { explainSdkFailure } from './c2pa-sdk-errors';
import { deviceCertificates } from './device-key';

export type { C2paFacts };

export type C2paVerdict =
  | { state: 'absent' }
  | { state: 'valid'; facts: C2paFacts; signer: 'this-device' | 'another-device' }
  | { state: 'invalid'; reason: string; facts?: Partial<C2paFacts> };

/**
 * The JUMBF content type of a C2PA manifest store, "c2pa" 0011-0010-8000-00AA00389B71 (C2PA
 * Technical Specification §11.1), which every embedded manifest store's description box holds.
 * Only consulted when the SDK cannot read a file at all: with it, the file carried Content
 * Credentials and was damaged (invalid); without it, it is a broken or foreign file that never had
 * any (absent). Nothing is parsed by hand: this only looks for the 16 bytes.
 */
const C2PA_MANIFEST_STORE_UUID = Uint8Array.of(0x63, 0x32, 0x70, 0x61, 0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71);

/** Read in pieces, so that a file of any size is searched without holding it whole. */
const SEARCH_CHUNK_BYTES = 8 * 1024 * 1024;

function holdsManifestStoreIn(bytes: Uint8Array): boolean {
  const [first] = C2PA_MANIFEST_STORE_UUID;
  for (let at = bytes.indexOf(first); at >= 0 && at + C2PA_MANIFEST_STORE_UUID.length <= bytes.length; at = bytes.indexOf(first, at + 1)) {
    if (C2PA_MANIFEST_STORE_UUID.every((b, i) => bytes[at + i] === b)) return true;
  }
  return false;
}

async function holdsManifestStore(file: Blob): Promise<boolean> {
  // Each piece overlaps the one before by the UUID's length less one, so no match falls between two.
  const step = SEARCH_CHUNK_BYTES - (C2PA_MANIFEST_STORE_UUID.length - 1);
  for (let start = 0; start < file.size; start += step) {
    if (holdsManifestStoreIn(new Uint8Array(await file.slice(start, start + SEARCH_CHUNK_BYTES).arrayBuffer()))) return true;
  }
  return false;
}

/** PEM text of a DER certificate: the form the SDK's trust settings take. */
function certificatePem(der: Uint8Array): string {
  let binary = '';
  for (const byte of der) binary += String.fromCharCode(byte);
  const lines = btoa(binary).match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function describe(status: ValidationStatus): string {
  return status.explanation ? `${status.code} (${status.explanation})` : status.code;
}

/** Failures other than the signer being untrusted, which every self-signed file has. */
function integrityFailures(store: ManifestStore): ValidationStatus[] {
  const failures = store.validation_results?.activeManifest?.failure ?? store.validation_status ?? [];
  return failures.filter((s) => s.code !== 'signingCredential.untrusted');
}

/**
 * Checks `file`'s C2PA manifest. Throws, with words for the person who chose the file, when the
 * browser could not read it (too large for this tab, or moved since): that says nothing about the
 * file, so it is neither absent nor damaged (the caller reports the check as not made).
 */
export async function verifyC2pa(file: Blob, mimeType: string): Promise<C2paVerdict> {
  if (!isSupportedReaderFormat(mimeType)) return { state: 'absent' };
  const ours = await deviceCertificates();
  const settings: Settings = {
    verify: { verifyTrust: true, verifyAfterReading: true },
    ...(ours.length > 0 ? { trust: { allowedList: ours.map(certificatePem).join('') } } : {}),
  };
  const sdk = await c2paSdk();
  let reader;
  try {
    // The Blob itself, not a copy of its bytes: the SDK reads it in its worker, and a large file
    // copied into the page's memory first is what once made Chromium refuse to read it.
    reader = await sdk.reader.fromBlob(mimeType, file, settings);
  } catch (err) {
    return unreadableOrDamaged(err, file);
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
    return { state: 'valid', facts: completeFacts(facts ?? {}), signer: store.validation_state === 'Trusted' && ours.length > 0 ? 'this-device' : 'another-device' };
  } catch (err) {
    return unreadableOrDamaged(err, file);
  } finally {
    await reader.free();
  }
}

/** What an SDK failure says about the file (c2pa-sdk-errors.ts), in words, never the SDK's own text. */
async function unreadableOrDamaged(err: unknown, file: Blob): Promise<C2paVerdict> {
  const failure = explainSdkFailure(err, file.size);
  if (failure.kind === 'unreadable') throw notReadable(failure.words);
  let holds: boolean;
  try {
    holds = await holdsManifestStore(file);
  } catch (readError) {
    // The browser's own failure (a DOMException) is read by the same words as the SDK's.
    throw notReadable(explainSdkFailure(readError, file.size).words);
  }
  if (!holds) return { state: 'absent' };
  return { state: 'invalid', reason: `The file carries Content Credentials, but ${failure.words}` };
}

function notReadable(words: string): Error {
  return new Error(`${words[0].toUpperCase()}${words.slice(1)}.`);
}
