// The parts of Kinora's C2PA signing that run without the SDK, checked in Node: the manifest and
// its prompt rule, reading facts back, the device certificate's profile, the COSE_Sign1 and what
// happens when signing cannot run at all. The SDK itself (browser only) is exercised with these
// parts in tests/e2e/c2pa.spec.ts.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { decode, Tagged } from 'cborg';
import { describe, expect, it } from 'vitest';
import { c2paManifestDefinition, GENERATION_LABEL, TRAINED_ALGORITHMIC_MEDIA } from '../../src/provenance/c2pa-manifest';
import { completeFacts, factsOfManifest } from '../../src/provenance/c2pa-facts';
import { addContentCredentials } from '../../src/provenance/content-credentials';
import { coseSign1Size, signCoseSign1 } from '../../src/provenance/cose-sign1';
import { C2PA_CLAIM_SIGNING_EKU, makeDeviceCertificate } from '../../src/provenance/device-certificate';
import { ES256_KEY_ALGORITHM } from '../../src/provenance/device-key';
import { buildProvenance, type GenerationFacts, type Provenance } from '../../src/video/provenance';

const ENCODING = { codec: 'avc1.64000B', fps: 8, frameWidth: 64, frameHeight: 64, upscale: 1 };

function provenance(promptInFile: boolean): Provenance {
  const facts: GenerationFacts = {
    model: { id: 'kinora-small', sha256: 'c0'.repeat(32) },
    prompt: 'a crimson orb hops across a meadow',
    promptInFile,
    caption: 'A medium sized red circle bounces.',
    negative: { prompt: 'no stars', caption: 'star', used: true },
    seed: 42,
    settings: { steps: 8, guidance: 4, aspect: '1:1', seconds: 2, mode: 'loop' },
    createdAt: new Date('2026-12-01T10:00:00.000Z'),
  };
  return buildProvenance(facts, ENCODING);
}

/** The manifest as the SDK's reader would give it back (labels and data as written). */
function asRead(p: Provenance) {
  const definition = c2paManifestDefinition(p);
  return { claim_generator_info: definition.claim_generator_info, assertions: definition.assertions } as Parameters<typeof factsOfManifest>[0];
}

describe('the C2PA manifest', () => {
  it('states the generator, the created action by a trained model, the model, the mode and the time', () => {
    const definition = c2paManifestDefinition(provenance(false));
    expect(definition.claim_generator_info).toEqual([{ name: 'Kinora', version: expect.stringMatching(/^\d+\.\d+\.\d+/) }]);
    const actions = definition.assertions!.find((a) => a.label === 'c2pa.actions.v2')!.data as { actions: unknown[] };
    expect(actions.actions).toEqual([expect.objectContaining({ action: 'c2pa.created', digitalSourceType: TRAINED_ALGORITHMIC_MEDIA, when: '2026-12-01T10:00:00.000Z' })]);
    expect(factsOfManifest(asRead(provenance(false)))).toEqual({
      generator: 'Kinora',
      generatorVersion: definition.claim_generator_info![0].version,
      modelId: 'kinora-small',
      weightsSha256: 'c0'.repeat(32),
      mode: 'loop',
      createdAt: '2026-12-01T10:00:00.000Z',
      digitalSourceType: TRAINED_ALGORITHMIC_MEDIA,
    });
  });

  it('holds no trace of the prompt, its caption or the negative prompt unless the setting allows it', () => {
    const kept = JSON.stringify(c2paManifestDefinition(provenance(false)));
    for (const trace of ['crimson', 'meadow', 'circle', 'no stars', 'star']) expect(kept).not.toContain(trace);
    const shared = c2paManifestDefinition(provenance(true)).assertions!.find((a) => a.label === GENERATION_LABEL)!.data;
    expect(shared).toMatchObject({ prompt: 'a crimson orb hops across a meadow', caption: 'A medium sized red circle bounces.', negative: { prompt: 'no stars' } });
    expect(factsOfManifest(asRead(provenance(true))).prompt).toBe('a crimson orb hops across a meadow');
  });

  it("reads what another tool's manifest states and nothing more", () => {
    const foreign = { claim_generator_info: [{ name: 'SomeCamera' }], assertions: [{ label: 'c2pa.actions', data: { actions: [{ action: 'c2pa.created', digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture' }] } }] };
    const facts = factsOfManifest(foreign as Parameters<typeof factsOfManifest>[0]);
    expect(facts).toEqual({ generator: 'SomeCamera', digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture' });
    expect(completeFacts(facts)).toMatchObject({ generator: 'SomeCamera', modelId: '', weightsSha256: '', mode: '' });
    expect(completeFacts(facts)).not.toHaveProperty('prompt');
  });
});

describe('the device certificate', () => {
  it("meets c2pa-rs's end-entity profile: v3, ES256, P-256, not a CA, digitalSignature only, the C2PA claim-signing EKU, AKI, never expires", async () => {
    const keys = await crypto.subtle.generateKey(ES256_KEY_ALGORITHM, false, ['sign', 'verify']);
    const cert = new x509.X509Certificate(await makeDeviceCertificate(keys, new Date('2026-12-01T10:00:00Z')));
    expect(cert.signatureAlgorithm).toMatchObject({ name: 'ECDSA', hash: { name: 'SHA-256' } });
    expect(cert.publicKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    expect(await cert.isSelfSigned()).toBe(true);
    expect(await cert.verify({ publicKey: keys.publicKey })).toBe(true);
    const basic = cert.getExtension(x509.BasicConstraintsExtension)!;
    expect(basic.ca).toBe(false);
    const usage = cert.getExtension(x509.KeyUsagesExtension)!;
    expect(usage.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    expect(usage.critical).toBe(true);
    expect(cert.getExtension(x509.ExtendedKeyUsageExtension)!.usages).toEqual([C2PA_CLAIM_SIGNING_EKU]);
    const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId;
    expect(cert.getExtension(x509.AuthorityKeyIdentifierExtension)!.keyId).toBe(ski);
    expect(cert.notAfter.toISOString()).toBe('9999-12-31T23:59:59.000Z');
    expect(cert.notBefore.getTime()).toBeLessThan(new Date('2026-12-01T10:00:00Z').getTime());
    expect(cert.subject).toContain('not verified by anyone');
  });
});

describe('the COSE_Sign1 signature', () => {
  it('is a tagged COSE_Sign1 with ES256 and the certificate protected, detached payload, a signature over the Sig_structure, of the reserved size', async () => {
    const keys = await crypto.subtle.generateKey(ES256_KEY_ALGORITHM, false, ['sign', 'verify']);
    const certificate = await makeDeviceCertificate(keys);
    const claim = new TextEncoder().encode('the claim bytes the SDK hands over');
    const cose = await signCoseSign1(claim, keys.privateKey, certificate);
    expect(cose.length).toBe(coseSign1Size(certificate));

    const tagged = decode(cose, { tags: Tagged.preserve(18), useMaps: true }) as Tagged;
    expect(tagged.tag).toBe(18);
    const [protectedBytes, unprotected, payload, signature] = tagged.value as [Uint8Array<ArrayBuffer>, Map<unknown, unknown>, null, Uint8Array<ArrayBuffer>];
    const header = decode(protectedBytes, { useMaps: true }) as Map<number, unknown>;
    expect(header.get(1)).toBe(-7);
    expect(header.get(33)).toEqual(certificate);
    expect(unprotected.size).toBe(0);
    expect(payload).toBeNull();
    expect(signature.length).toBe(64);

    const { encode } = await import('cborg');
    const verify = (data: Uint8Array) =>
      crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, keys.publicKey, signature, encode(['Signature1', protectedBytes, new Uint8Array(0), data]));
    expect(await verify(claim)).toBe(true);
    expect(await verify(new TextEncoder().encode('another claim'))).toBe(false);
  });
});

describe('adding Content Credentials', () => {
  it('keeps the video and says why when signing cannot run (here: Node has no IndexedDB for the key)', async () => {
    const video = new Blob([new Uint8Array([0, 0, 0, 8, 0x66, 0x74, 0x79, 0x70])], { type: 'video/mp4' });
    const { video: out, credentials } = await addContentCredentials(video, provenance(false));
    expect(out).toBe(video);
    expect(credentials.state).toBe('not-signed');
    expect((credentials as { reason: string }).reason).toMatch(/^Content Credentials could not be added \(.+\); the video is saved without them\.$/);
  });
});
