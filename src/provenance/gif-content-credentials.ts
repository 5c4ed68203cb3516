// Content Credentials for a downloaded GIF: the same manifest as the MP4's (c2pa-manifest.ts, from
// the copy's provenance record), embedded by the CAI's SDK, which writes C2PA's GIF binding (the
// manifest store in an application extension) and hashes the rest of the file, signed with a key
// made for this one file on this device (device-key.ts), exactly as a video is. As for the MP4,
// signing never costs the person the file: when it fails, the unsigned GIF comes back with why.
import type { Provenance } from '../video/provenance';
import { c2paManifestDefinition, TRAINED_ALGORITHMIC_MEDIA } from './c2pa-manifest';
import { c2paSdk } from './c2pa-sdk';
import { coseSigner } from './c2pa-sign';
import type { ContentCredentials } from './content-credentials';
import { videoSigningIdentity } from './device-key';

const GIF = 'image/gif';

export async function signGif(gif: Blob, provenance: Provenance): Promise<Blob> {
  const signer = coseSigner(await videoSigningIdentity());
  const sdk = await c2paSdk();
  const builder = await sdk.builder.fromDefinition({ ...c2paManifestDefinition(provenance), format: GIF });
  try {
    await builder.setIntent({ create: TRAINED_ALGORITHMIC_MEDIA });
    return new Blob([await builder.sign(signer, GIF, gif)], { type: GIF });
  } finally {
    await builder.free();
  }
}

export async function addGifContentCredentials(gif: Blob, provenance: Provenance): Promise<{ gif: Blob; credentials: ContentCredentials }> {
  const started = performance.now();
  try {
    const signed = await signGif(gif, provenance);
    return { gif: signed, credentials: { state: 'signed', bytesAdded: signed.size - gif.size, signMs: performance.now() - started } };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { gif, credentials: { state: 'not-signed', reason: `Content Credentials could not be added (${why}); the GIF is saved without them.` } };
  }
}
