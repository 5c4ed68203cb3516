// The provenance record: built from what the generator knows, written as MP4 tags, read back.
import { describe, expect, it } from 'vitest';
import { version } from '../../package.json';
import {
  buildProvenance,
  describeProvenance,
  isProvenance,
  provenanceFromTags,
  provenanceTags,
  PROMPT_KEPT_PRIVATE,
  PROVENANCE_SCHEMA,
  type EncodingFacts,
  type GenerationFacts,
} from '../../src/video/provenance';

const facts: GenerationFacts = {
  model: { id: 'kinora-tiny', sha256: 'ab'.repeat(32) },
  prompt: 'a red ball bounces on green grass',
  promptInFile: true,
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

describe('provenance with the prompt kept private', () => {
  const asked = {
    ...facts,
    prompt: 'a crimson ball bounces on green grass',
    caption: 'A medium sized red circle bounces in a day sky over grass.',
    negative: { prompt: 'no stars', caption: 'A star.', used: true },
    settings: { ...facts.settings, mode: 'loop' },
  };
  const everyTag = (tags: ReturnType<typeof provenanceTags>) =>
    [tags.title, tags.description, tags.comment, ...Object.values(tags.raw ?? {})].filter((v) => v !== undefined).map(String);

  it('leaves the prompt, its caption and the negative prompt out of the record and every tag', () => {
    const record = buildProvenance({ ...asked, promptInFile: false }, encoding);
    expect(record).not.toHaveProperty('prompt');
    expect(record).not.toHaveProperty('caption');
    expect(record).not.toHaveProperty('negative');
    const tags = provenanceTags(record);
    expect(tags.title).toBeUndefined();
    for (const value of everyTag(tags)) {
      for (const secret of ['crimson', asked.caption, 'no stars', 'A star.']) expect(value).not.toContain(secret);
    }
  });

  it('still names the model, seed, settings, mode and time, says the prompt was kept private, and reads back', () => {
    const record = buildProvenance({ ...asked, promptInFile: false }, encoding);
    expect(record).toMatchObject({ model: facts.model, seed: 42, settings: { steps: 8, guidance: 4, aspect: '16:9', seconds: 2, mode: 'loop' }, createdAt: '2026-11-23T11:12:13.456Z' });
    const description = describeProvenance(record);
    expect(description).toBe(
      `Made by Kinora ${version} with the model kinora-tiny (sha256 ${'ab'.repeat(32)}) (loop mode): seed 42, 8 steps, guidance 4, aspect 16:9, 2 s. ${PROMPT_KEPT_PRIVATE}`,
    );
    expect(provenanceFromTags(provenanceTags(record))).toEqual(record);
  });

  it('writes all three when the person chose so', () => {
    const tags = provenanceTags(buildProvenance({ ...asked, promptInFile: true }, encoding));
    expect(tags.title).toBe(asked.prompt);
    const comment = String(tags.comment);
    for (const secret of [asked.prompt, asked.caption, 'no stars', 'A star.']) expect(comment).toContain(secret);
    expect(tags.description).not.toContain(PROMPT_KEPT_PRIVATE);
  });

  it('refuses a record whose prompt is there but not text', () => {
    const record = buildProvenance({ ...asked, promptInFile: false }, encoding);
    expect(isProvenance({ ...record, prompt: 42 })).toBe(false);
    expect(isProvenance(record)).toBe(true);
  });
});
