// C2PA Content Credentials (src/provenance) in Debian's Chromium, through tests/browser/c2pa.ts:
// a 2-s MP4 written by src/video is signed with the device's key by the CAI's SDK, then read back
// by the same SDK (what any C2PA tool sees) and by verifyC2pa (what Kinora says). Tampering is
// done here in Node on the file's bytes, so the page cannot know what was changed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import type { C2paChecksApi, SignedClip } from '../browser/c2pa';
import type { C2paVerdict } from '../../src/provenance/c2pa-verify';
import 'reflect-metadata'; // @peculiar/x509's dependency injection needs the Reflect metadata API
import * as x509 from '@peculiar/x509';
import { DEVICE_CERTIFICATE_SUBJECT } from '../../src/provenance/device-certificate';

const KINORA_COMMON_NAME = /^CN=([^,]*),/.exec(DEVICE_CERTIFICATE_SUBJECT)![1];

const PAGE_URL = '/tests/browser/c2pa.html';
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
// The prompt of tests/browser/c2pa.ts, and each of its words that no manifest would hold by chance.
const PROMPT = 'a violet kite drifts over the harbour at dusk';
const PROMPT_WORDS = ['violet', 'kite', 'drifts', 'harbour', 'dusk'];
const TRAINED_ALGORITHMIC_MEDIA = 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia';

type Checks = C2paChecksApi['checks'];
type CheckName = keyof Checks;

async function openChecks(page: Page): Promise<void> {
  await page.goto(PAGE_URL);
  await page.waitForFunction(() => 'kinoraC2paChecks' in globalThis);
}

async function run<K extends CheckName>(page: Page, name: K, args: Parameters<Checks[K]>[0], inWorker = false): Promise<Awaited<ReturnType<Checks[K]>>> {
  return page.evaluate(
    ([n, a, w]) => {
      const api = (globalThis as unknown as { kinoraC2paChecks: C2paChecksApi }).kinoraC2paChecks;
      return w ? api.inWorker(n, a as never) : (api.checks[n] as (x: unknown) => unknown)(a);
    },
    [name, args, inWorker] as const,
  ) as Promise<Awaited<ReturnType<Checks[K]>>>;
}

// --- The parts of an MP4 this spec needs, read here from the bytes --------------------------------

interface Box {
  type: string;
  start: number;
  end: number;
  /** Where the box's content begins (after size, type and a 64-bit size if any). */
  body: number;
}

function boxes(bytes: Buffer, from: number, to: number): Box[] {
  const found: Box[] = [];
  for (let at = from; at + 8 <= to; ) {
    let size = bytes.readUInt32BE(at);
    let body = at + 8;
    if (size === 1) {
      size = Number(bytes.readBigUInt64BE(at + 8));
      body = at + 16;
    } else if (size === 0) size = to - at;
    found.push({ type: bytes.toString('latin1', at + 4, at + 8), start: at, end: at + size, body });
    at += size;
  }
  return found;
}

function child(bytes: Buffer, parent: Box, type: string): Box {
  const box = boxes(bytes, parent.body, parent.end).find((b) => b.type === type);
  if (!box) throw new Error(`no ${type} in ${parent.type}`);
  return box;
}

/** The byte range of the first video sample (a key frame): its chunk offset (stco) and size (stsz). */
function firstSample(bytes: Buffer): { offset: number; size: number } {
  const moov = boxes(bytes, 0, bytes.length).find((b) => b.type === 'moov')!;
  const stbl = ['trak', 'mdia', 'minf', 'stbl'].reduce((box, type) => child(bytes, box, type), moov);
  const stsz = child(bytes, stbl, 'stsz');
  const stco = child(bytes, stbl, 'stco');
  const uniformSize = bytes.readUInt32BE(stsz.body + 4);
  const size = uniformSize || bytes.readUInt32BE(stsz.body + 12);
  return { offset: bytes.readUInt32BE(stco.body + 8), size };
}

function bytesOf(clip: string): Buffer {
  return Buffer.from(clip, 'base64');
}

function expectValid(verdict: C2paVerdict): Extract<C2paVerdict, { state: 'valid' }> {
  expect(verdict.state, JSON.stringify(verdict)).toBe('valid');
  return verdict as Extract<C2paVerdict, { state: 'valid' }>;
}

interface StoreJson {
  active_manifest: string;
  manifests: Record<string, { claim_generator_info: { name: string; version: string }[]; assertions: { label: string; data: Record<string, unknown> }[]; signature_info: { alg: string; common_name: string; cert_serial_number: string } }>;
  validation_state: string;
  validation_results: { activeManifest: { success: { code: string }[]; failure: { code: string }[] } };
}

function activeManifest(store: unknown) {
  const s = store as StoreJson;
  return s.manifests[s.active_manifest];
}

let scratch: string;
test.beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'kinora-c2pa-'));
});
test.afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test('a signed MP4 carries a C2PA manifest that the SDK reads back and validates: generator, model, created by a trained model', async ({ page }) => {
  await openChecks(page);
  // Signed in a Web Worker, as the app's generation worker does; read on the page.
  const clip: SignedClip = await run(page, 'makeSigned', { promptInFile: false, as: 'this-device', mode: 'extend' }, true);
  expect(await run(page, 'manifestStore', { mp4: clip.unsigned })).toBeNull();

  const store = (await run(page, 'manifestStore', { mp4: clip.signed })) as StoreJson;
  expect(store, 'the SDK finds a manifest').not.toBeNull();
  // With no trust list configured, as any C2PA tool reads it: well-formed and intact, signer untrusted.
  expect(store.validation_state).toBe('Valid');
  const results = store.validation_results.activeManifest;
  expect(results.failure.map((f) => f.code)).toEqual(['signingCredential.untrusted']);
  const succeeded = results.success.map((s) => s.code);
  for (const code of ['claimSignature.validated', 'claimSignature.insideValidity', 'assertion.bmffHash.match']) expect(succeeded).toContain(code);

  const manifest = activeManifest(store);
  expect(manifest.claim_generator_info[0]).toMatchObject({ name: 'Kinora', version: VERSION });
  expect(manifest.signature_info.alg.toLowerCase()).toBe('es256');
  expect(manifest.signature_info.common_name).toContain('self-signed');
  const actions = manifest.assertions.find((a) => a.label === 'c2pa.actions.v2')!.data.actions as Record<string, unknown>[];
  expect(actions).toEqual([expect.objectContaining({ action: 'c2pa.created', digitalSourceType: TRAINED_ALGORITHMIC_MEDIA, when: '2026-12-01T08:30:00.000Z' })]);
  const generation = manifest.assertions.find((a) => a.label === 'kinora.generation')!.data;
  expect(generation).toMatchObject({ model: { id: 'kinora-c2pa-test', sha256: 'ab'.repeat(32) }, mode: 'extend', createdAt: '2026-12-01T08:30:00.000Z', seed: 777 });

  expect(await run(page, 'verify', { mp4: clip.signed })).toEqual({
    state: 'valid',
    signer: 'this-device',
    facts: {
      generator: 'Kinora',
      generatorVersion: VERSION,
      modelId: 'kinora-c2pa-test',
      weightsSha256: 'ab'.repeat(32),
      mode: 'extend',
      createdAt: '2026-12-01T08:30:00.000Z',
      digitalSourceType: TRAINED_ALGORITHMIC_MEDIA,
    },
  });
  expect(await run(page, 'verify', { mp4: clip.unsigned })).toEqual({ state: 'absent' });

  // Still an ordinary MP4: Kinora's own tags read back, and ffprobe sees 16 frames of 64×64.
  expect(await run(page, 'readTags', { mp4: clip.signed })).toMatchObject({ generator: 'Kinora', model: { id: 'kinora-c2pa-test' }, seed: 777 });
  const file = join(scratch, 'signed.mp4');
  writeFileSync(file, bytesOf(clip.signed));
  const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_streams', '-of', 'json', file], { encoding: 'utf8' })) as { streams: { width: number; height: number; nb_read_frames: string }[] };
  expect(probe.streams[0]).toMatchObject({ width: 64, height: 64, nb_read_frames: '16' });
});

test('flipping bytes inside one frame, or editing a fact of the manifest, makes the file invalid', async ({ page }) => {
  await openChecks(page);
  const clip = await run(page, 'makeSigned', { promptInFile: false, as: 'this-device' });
  const signed = bytesOf(clip.signed);
  expectValid(await run(page, 'verify', { mp4: clip.signed }));

  const sample = firstSample(signed);
  expect(sample.size).toBeGreaterThan(32);
  const frameFlipped = Buffer.from(signed);
  for (let i = 0; i < 4; i++) frameFlipped[sample.offset + Math.floor(sample.size / 2) + i] ^= 0xff;
  const broken = await run(page, 'verify', { mp4: frameFlipped.toString('base64') });
  expect(broken.state).toBe('invalid');
  expect((broken as { reason: string }).reason).toContain('assertion.bmffHash.mismatch');

  // The model id inside the signed kinora.generation assertion, changed to another of the same length.
  const at = signed.indexOf('kinora-c2pa-test');
  expect(at).toBeGreaterThan(0);
  const factEdited = Buffer.from(signed);
  factEdited.write('kinora-c2pa-fake', at, 'latin1');
  const edited = await run(page, 'verify', { mp4: factEdited.toString('base64') });
  expect(edited.state).toBe('invalid');
  expect((edited as { reason: string }).reason).toMatch(/mismatch/);
});

test('the prompt is in the manifest only when the setting allows it', async ({ page }) => {
  await openChecks(page);
  const kept = await run(page, 'makeSigned', { promptInFile: false, as: 'this-device' });
  const keptGeneration = activeManifest(await run(page, 'manifestStore', { mp4: kept.signed })).assertions.find((a) => a.label === 'kinora.generation')!.data;
  expect(keptGeneration).not.toHaveProperty('prompt');
  expect(keptGeneration).not.toHaveProperty('caption');
  expect(keptGeneration).not.toHaveProperty('negative');
  const keptVerdict = expectValid(await run(page, 'verify', { mp4: kept.signed }));
  expect(keptVerdict.facts).not.toHaveProperty('prompt');
  const keptText = bytesOf(kept.signed).toString('latin1').toLowerCase();
  for (const word of PROMPT_WORDS) expect(keptText, `the file holds "${word}"`).not.toContain(word);

  const shared = await run(page, 'makeSigned', { promptInFile: true, as: 'this-device' });
  const sharedGeneration = activeManifest(await run(page, 'manifestStore', { mp4: shared.signed })).assertions.find((a) => a.label === 'kinora.generation')!.data;
  expect(sharedGeneration).toMatchObject({ prompt: PROMPT, negative: { prompt: 'no boats' } });
  expect(expectValid(await run(page, 'verify', { mp4: shared.signed })).facts.prompt).toBe(PROMPT);
});

/**
 * The signer's certificate a file carries (in its COSE signature's x5chain), found as the DER
 * SEQUENCE that parses as an X.509 certificate with Kinora's subject: what anyone holding the file can read.
 */
function signerCertificate(file: Buffer): x509.X509Certificate {
  for (let at = file.indexOf(0x30); at >= 0 && at + 4 < file.length; at = file.indexOf(0x30, at + 1)) {
    if (file[at + 1] !== 0x82) continue; // a certificate is longer than 255 bytes: two length bytes
    const end = at + 4 + file.readUInt16BE(at + 2);
    if (end > file.length) continue;
    try {
      const certificate = new x509.X509Certificate(new Uint8Array(file.subarray(at, end)));
      // Compared by its common name: the parser prints the subject with its ';' escaped.
      if (certificate.subjectName.getField('CN')[0] === KINORA_COMMON_NAME) return certificate;
    } catch {
      // not a certificate here
    }
  }
  throw new Error('no Kinora certificate in the file');
}

test('every video is signed with a key of its own, so two files cannot be tied together, and this device still knows each as its own', async ({ page }) => {
  await openChecks(page);
  const first = await run(page, 'makeSigned', { promptInFile: false, as: 'this-device' });
  await page.reload();
  await page.waitForFunction(() => 'kinoraC2paChecks' in globalThis);
  // After a reload, in the worker this time, as the app's generation worker signs.
  const second = await run(page, 'makeSigned', { promptInFile: false, as: 'this-device' }, true);

  const [a, b] = [signerCertificate(bytesOf(first.signed)), signerCertificate(bytesOf(second.signed))];
  expect(a.serialNumber).not.toBe(b.serialNumber);
  expect(Buffer.from(a.publicKey.rawData).equals(Buffer.from(b.publicKey.rawData)), 'the same public key in two files').toBe(false);
  expect(Buffer.from(a.rawData).equals(Buffer.from(b.rawData))).toBe(false);

  expect(expectValid(await run(page, 'verify', { mp4: first.signed })).signer).toBe('this-device');
  expect(expectValid(await run(page, 'verify', { mp4: second.signed })).signer).toBe('this-device');
});

test('a key that is not one this device kept, and another browser, read "another-device"', async ({ page, browser }) => {
  await openChecks(page);
  const ours = await run(page, 'makeSigned', { promptInFile: false, as: 'this-device' });
  // What the device keeps is the certificate the file carries (its private key was dropped after signing).
  expect(await run(page, 'deviceCertificates', {})).toContain(Buffer.from(signerCertificate(bytesOf(ours.signed)).rawData).toString('base64'));

  // A key that is not this device's, on this page: valid, but not ours.
  const other = await run(page, 'makeSigned', { promptInFile: false, as: 'another-device' });
  expect(expectValid(await run(page, 'verify', { mp4: other.signed })).signer).toBe('another-device');
  expect(expectValid(await run(page, 'verify', { mp4: ours.signed })).signer).toBe('this-device');

  // Another browser profile (a fresh context: its own IndexedDB, no certificates) reads our file as another device's.
  const elsewhere = await browser.newContext();
  try {
    const otherPage = await elsewhere.newPage();
    await openChecks(otherPage);
    expect(await run(otherPage, 'deviceCertificates', {})).toEqual([]);
    expect(expectValid(await run(otherPage, 'verify', { mp4: ours.signed })).signer).toBe('another-device');
  } finally {
    await elsewhere.close();
  }
});

test('a file that never had Content Credentials reads absent, however broken; a signed file cut short reads invalid', async ({ page }) => {
  await openChecks(page);
  const clip = await run(page, 'makeSigned', { promptInFile: false, as: 'this-device' });
  const signed = bytesOf(clip.signed);
  const random = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919 + 13) % 251));
  expect(await run(page, 'verify', { mp4: random.toString('base64') })).toEqual({ state: 'absent' });
  expect(await run(page, 'verify', { mp4: '' })).toEqual({ state: 'absent' });
  expect(await run(page, 'verify', { mp4: bytesOf(clip.unsigned).subarray(0, 2000).toString('base64') })).toEqual({ state: 'absent' });
  // A type the SDK does not read is not searched at all.
  expect(await run(page, 'verify', { mp4: clip.signed, mimeType: 'video/webm' })).toEqual({ state: 'absent' });

  const cut = await run(page, 'verify', { mp4: signed.subarray(0, signed.length >> 1).toString('base64') });
  expect(cut.state).toBe('invalid');
  expect((cut as { reason: string }).reason).toContain('damaged');
});

test('a file the browser can no longer read is reported as not readable, in words, and never called damaged', async ({ page }) => {
  await openChecks(page);
  const clip = await run(page, 'makeSigned', { promptInFile: false, as: 'this-device' });
  const dir = mkdtempSync(join(tmpdir(), 'kinora-unreadable-'));
  try {
    const path = join(dir, 'kinora-video.mp4');
    writeFileSync(path, bytesOf(clip.signed));
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<input type="file" id="chosen">'));
    await page.setInputFiles('#chosen', path);
    // Changed on disk after it was chosen: Chromium refuses to read it (NotReadableError), the
    // failure a file too large for the tab also gives, and the SDK passes it on as an IoError.
    writeFileSync(path, Buffer.concat([bytesOf(clip.signed), Buffer.from('later')]));
    const outcome = await run(page, 'verifyChosenFile', { selector: '#chosen' });
    expect(outcome).toEqual({ thrown: 'The file could not be read (it may have been moved or changed since it was chosen); the file itself may be intact.' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
