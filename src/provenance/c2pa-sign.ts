// Embeds a signed C2PA manifest in a finished MP4 with the CAI's SDK: the SDK writes the claim,
// the JUMBF store (a top-level `uuid` box), the BMFF hash over the file's boxes (the media data
// included), and moves the sample offsets; Kinora supplies the manifest (c2pa-manifest.ts) and
// the signature over the claim (cose-sign1.ts) with a key made for this one video (device-key.ts).
import type { Signer } from '@contentauth/c2pa-web';
import type { Provenance } from '../video/provenance';
import { c2paManifestDefinition, TRAINED_ALGORITHMIC_MEDIA } from './c2pa-manifest';
import { c2paSdk } from './c2pa-sdk';
import { coseSign1Size, signCoseSign1 } from './cose-sign1';
import { videoSigningIdentity, type SigningIdentity } from './device-key';

/** The SDK's Signer: ES256 over the claim, returned as the whole COSE_Sign1 it embeds unread. */
export function coseSigner(identity: SigningIdentity): Signer {
  const size = coseSign1Size(identity.certificate);
  return {
    alg: 'es256',
    reserveSize: async () => size,
    sign: async (claim) => {
      const cose = await signCoseSign1(claim, identity.privateKey, identity.certificate);
      // The SDK embeds the signature into exactly the space it reserved; a different length would
      // shift every byte after it.
      if (cose.length !== size) throw new Error(`The signature came out ${cose.length} bytes, not the ${size} reserved for it.`);
      return new Uint8Array(cose);
    },
  };
}

/**
 * The MP4 with a C2PA manifest for `provenance` signed by `identity` (unless given, a fresh one
 * kept as this device's: tests sign as another device). Throws when the SDK or the key cannot sign.
 */
export async function signMp4(video: Blob, provenance: Provenance, identity?: SigningIdentity): Promise<Blob> {
  const signer = coseSigner(identity ?? (await videoSigningIdentity()));
  const sdk = await c2paSdk();
  const builder = await sdk.builder.fromDefinition(c2paManifestDefinition(provenance));
  try {
    await builder.setIntent({ create: TRAINED_ALGORITHMIC_MEDIA });
    const signed = await builder.sign(signer, 'video/mp4', video);
    return new Blob([signed], { type: 'video/mp4' });
  } finally {
    await builder.free();
  }
}
