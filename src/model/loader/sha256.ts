// SHA-256 through WebCrypto (crypto.subtle, in workers, pages and Node alike): the one check
// that bytes from the network or from IndexedDB are exactly the bytes the manifest names.

export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}
