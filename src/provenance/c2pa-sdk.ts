// One instance of the Content Authenticity Initiative's browser SDK (@contentauth/c2pa-web) per
// thread: the generation worker signs with it, the page checks files with it. It runs c2pa-rs
// as WebAssembly in a Web Worker of its own.
//
// Its .wasm (8 MB) is one of the site's own files — bundled by Vite from the package, precached
// by the service worker with the rest of the app — never a CDN: the URL below is the build's
// asset. The SDK fetches it with a subresource-integrity check (sha512) and compiles it once, on
// first use, so a visit that never signs or checks a file never loads it.
import { createC2pa, type C2paSdk } from '@contentauth/c2pa-web';
import wasmSrc from '@contentauth/c2pa-web/resources/c2pa.wasm?url';

let sdk: Promise<C2paSdk> | undefined;

export function c2paSdk(): Promise<C2paSdk> {
  sdk ??= createC2pa({ wasmSrc }).catch((err: unknown) => {
    sdk = undefined; // the next call tries again (a failed fetch offline, say)
    throw err;
  });
  return sdk;
}
