// The C2PA claim signature as a COSE_Sign1 (RFC 9052 §4.2), made with WebCrypto.
//
// Why this exists at all: @contentauth/c2pa-web's signer is "direct COSE handling" — the SDK
// builds the claim, the JUMBF boxes and the MP4's hashes itself, then hands the signer the claim
// bytes and embeds whatever the signer returns, unread, as the c2pa.signature box (c2pa-wasm's
// WasmSigner::direct_cose_handling() is true and its certs() is empty). So the signer owns exactly
// one structure: the COSE_Sign1 that c2pa-rs builds in crypto/cose/sign.rs for its own signers,
// which this module builds the same way:
//
//   COSE_Sign1_Tagged = #6.18([ protected: bstr .cbor { 1 (alg): -7 (ES256), 33 (x5chain): cert },
//                               unprotected: {}, payload: nil (detached: the claim), signature: r‖s ])
//
// signed over Sig_structure = ["Signature1", protected, external_aad: h'', payload: claim bytes].
// The certificate goes in the protected header, so it is covered by the signature (C2PA §14.5).
// No time-stamp (sigTst2): that needs a time-stamping authority on the network, which Kinora never
// contacts; a validator then checks the certificate's validity at the time it validates.
// CBOR is encoded by cborg, not by hand.
import { encode, Tagged } from 'cborg';

/** COSE algorithm ES256: ECDSA on P-256 with SHA-256 (IANA COSE Algorithms). */
const COSE_ALG_ES256 = -7;
const HEADER_ALG = 1;
/** x5chain (RFC 9360): one certificate as a bstr, several as an array of bstr. */
const HEADER_X5CHAIN = 33;
/** CBOR tag of COSE_Sign1_Tagged. */
const COSE_SIGN1_TAG = 18;
/** An ES256 signature is r and s, 32 bytes each, big-endian (the form WebCrypto returns). */
const ES256_SIGNATURE_BYTES = 64;

function protectedHeader(certificateDer: Uint8Array): Uint8Array {
  return encode(new Map<number, number | Uint8Array>([[HEADER_ALG, COSE_ALG_ES256], [HEADER_X5CHAIN, certificateDer]]));
}

function coseSign1(protectedBytes: Uint8Array, signature: Uint8Array): Uint8Array {
  return encode(new Tagged(COSE_SIGN1_TAG, [protectedBytes, new Map(), null, signature]));
}

/**
 * The exact size of the COSE_Sign1 for this certificate. It does not depend on the claim: the
 * payload is detached and an ES256 signature is always 64 bytes. The SDK reserves this many bytes
 * for the signature box before the claim exists, and embeds the signature in that space.
 */
export function coseSign1Size(certificateDer: Uint8Array): number {
  return coseSign1(protectedHeader(certificateDer), new Uint8Array(ES256_SIGNATURE_BYTES)).length;
}

/** Signs `claim` (detached) with an ECDSA P-256 key whose certificate is `certificateDer`. */
export async function signCoseSign1(claim: Uint8Array, privateKey: CryptoKey, certificateDer: Uint8Array): Promise<Uint8Array> {
  const protectedBytes = protectedHeader(certificateDer);
  const toBeSigned = encode(['Signature1', protectedBytes, new Uint8Array(0), claim]);
  const signature = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, toBeSigned));
  if (signature.length !== ES256_SIGNATURE_BYTES) throw new Error(`An ES256 signature has ${ES256_SIGNATURE_BYTES} bytes, not ${signature.length}.`);
  return coseSign1(protectedBytes, signature);
}
