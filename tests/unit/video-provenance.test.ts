// The provenance record: built from what the generator knows, written as MP4 tags, read back.
import { describe, expect, it } from 'vitest';
import { version } from '../../package.json';
import {
  buildProvenance,
  describeProvenance,
  isProvenance,
  provenanceFromTags,
  provenanceTags,
  PROVENANCE_SCHEMA,
  type EncodingFacts,
  type GenerationFacts,
} from '../../src/video/provenance';

const facts: GenerationFacts = {
  model: { id: 'kinora-tiny', sha256: 'ab'.repeat(32) },
  prompt: 'a red ball bounces on green grass',
  seed: 42,
  settings: { steps: 8, guidance: 4, aspect: '16:9', seconds: 2 },
  createdAt: new Date('2026-11-23T11:12:13.456Z'),
};
const encoding: EncodingFacts = { codec: 'avc1.64000B', fps: 8, frameWidth: 112, frameHeight: 64, upscale: 1 };

describe('provenance', () => {
  it('names the generator, its version, the model, prompt, seed, settings, time and encoding', () => {
    expect(buildProvenance(facts, encoding)).toEqual({
      schema: PROVENANCE_SCHEMA,
      generator: 'Kinora',
      generatorVersion: version,
      model: { id: 'kinora-tiny', sha256: 'ab'.repeat(32) },
      prompt: 'a red ball bounces on green grass',
      seed: 42,
      settings: { steps: 8, guidance: 4, aspect: '16:9', seconds: 2 },
      createdAt: '2026-11-23T11:12:13.456Z',
      encoding,
    });
  });

  it('stamps the current time when none is given', () => {
    const before = Date.now();
    const stamped = Date.parse(buildProvenance({ ...facts, createdAt: undefined }, encoding).createdAt);
    expect(stamped).toBeGreaterThanOrEqual(before);
    expect(stamped).toBeLessThanOrEqual(Date.now());
  });

  it('writes title, description, comment, encoder and a full date, and reads the record back from them', () => {
    const record = buildProvenance(facts, encoding);
    const tags = provenanceTags(record);
    expect(tags.title).toBe(facts.prompt);
    expect(tags.description).toBe(describeProvenance(record));
    expect(tags.raw).toEqual({ desc: tags.description, '©too': `Kinora ${version}`, '©day': '2026-11-23T11:12:13.456Z' });
    expect(provenanceFromTags(tags)).toEqual(record);
  });

  it('says in the description when frames were enlarged, and only then', () => {
    const plain = describeProvenance(buildProvenance(facts, encoding));
    expect(plain).toContain('seed 42, 8 steps, guidance 4, aspect 16:9, 2 s');
    expect(plain).not.toContain('enlarged');
    const enlarged = describeProvenance(buildProvenance(facts, { ...encoding, frameWidth: 8, frameHeight: 8, upscale: 32 }));
    expect(enlarged).toContain('8×8 frames were enlarged 32× (nearest neighbour)');
  });

  it('names the mode when it is not plain text-to-video, and reads it back', () => {
    const looped = buildProvenance({ ...facts, settings: { ...facts.settings, mode: 'loop' } }, encoding);
    expect(describeProvenance(looped)).toContain('from the prompt "a red ball bounces on green grass" (loop mode): seed 42');
    expect(provenanceFromTags(provenanceTags(looped))?.settings.mode).toBe('loop');
    const text = buildProvenance({ ...facts, settings: { ...facts.settings, mode: 'text' } }, encoding);
    expect(describeProvenance(text)).not.toContain(' mode)');
  });

  it('finds no record in files without one or with a damaged one', () => {
    const record = buildProvenance(facts, encoding);
    expect(provenanceFromTags({})).toBeNull();
    expect(provenanceFromTags({ comment: 'shot on a phone' })).toBeNull();
    expect(provenanceFromTags({ comment: JSON.stringify({ ...record, schema: 'someone-else/1' }) })).toBeNull();
    expect(provenanceFromTags({ comment: JSON.stringify({ ...record, seed: '42' }) })).toBeNull();
    const { model: _dropped, ...withoutModel } = record;
    expect(provenanceFromTags({ comment: JSON.stringify(withoutModel) })).toBeNull();
    expect(isProvenance({ ...record, settings: { ...record.settings, aspect: undefined } })).toBe(false);
    expect(isProvenance(null)).toBe(false);
  });

  it('records the caption the model read and the negative prompt beside the prompt, and reads them back', () => {
    const record = buildProvenance({
      ...facts,
      caption: 'A medium sized red circle bounces in a day sky over grass. The camera is static.',
      negative: { prompt: 'no stars', caption: 'A star.', used: true },
    }, encoding);
    const tags = provenanceTags(record);
    expect(tags.title).toBe(facts.prompt); // the prompt as typed stays the title
    expect(describeProvenance(record)).toContain(
      'from the prompt "a red ball bounces on green grass", read as "A medium sized red circle bounces in a day sky over grass. The camera is static.", with the negative prompt "no stars" (read as "A star.")',
    );
    expect(provenanceFromTags(tags)).toEqual(record);
    expect(provenanceFromTags(tags)?.negative).toEqual({ prompt: 'no stars', caption: 'A star.', used: true });
    const unused = buildProvenance({ ...facts, negative: { prompt: 'no stars', caption: 'A star.', used: false } }, encoding);
    expect(describeProvenance(unused)).toContain('with the negative prompt "no stars" (not used)');
  });
});
