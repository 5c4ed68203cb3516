// The provenance record of a downloaded copy (WebM, GIF, an enlarged MP4): the record the MP4
// carries (provenance.ts, read back from its tags: the prompt is in it only if the person chose
// so, and so it is in the copy only then), with how the copy was encoded and what was done to it.
// Each format carries it as its own metadata can: an MP4 in its tags, as the original does; a
// WebM in Matroska tags (TITLE, DESCRIPTION, COMMENT with the whole record, ENCODER,
// DATE_ENCODED), which ffprobe and players show; a GIF in a comment extension holding the record.
import type { MetadataTags } from 'mediabunny';
import type { Resample } from './frame-enlargement';
import { describeProvenance, provenanceTags, tagText, type EncodingFacts, type Provenance } from './provenance';

export type DownloadFormat = 'mp4' | 'webm' | 'gif';

export const FORMAT_NAMES: Record<DownloadFormat, string> = { mp4: 'MP4', webm: 'WebM', gif: 'GIF' };

/** What a copy is, beyond the original's record. */
export interface CopyFacts {
  format: DownloadFormat;
  /** Each side of the model's frames times `factor`, by `resample` (factor 1: as made). */
  enlarged: { factor: number; resample: Resample };
}

export interface CopyProvenance extends Provenance {
  copy: CopyFacts;
}

/** The original's record with the copy's encoding and what the copy is. */
export function copyProvenance(original: Provenance, encoding: EncodingFacts, copy: CopyFacts): CopyProvenance {
  return { ...original, encoding: { ...encoding }, copy: { format: copy.format, enlarged: { ...copy.enlarged } } };
}

const RESAMPLE_WORDS: Record<Resample, string> = { nearest: 'crisp pixels, nearest neighbour', smooth: 'smooth' };

/** The original's sentence, then what the copy is. */
export function describeCopy(p: CopyProvenance): string {
  const { factor, resample } = p.copy.enlarged;
  const enlarged = factor > 1 ? `, its frames enlarged ${factor}× (${RESAMPLE_WORDS[resample]})` : '';
  return `${describeProvenance(p)} This ${FORMAT_NAMES[p.copy.format]} is a copy made from Kinora's MP4 on download${enlarged}.`;
}

/** The tags of an MP4 copy: the original's kind, with the copy's sentence. */
export function mp4CopyTags(p: CopyProvenance): MetadataTags {
  const tags = provenanceTags(p);
  const description = tagText(describeCopy(p));
  return { ...tags, description, raw: { ...tags.raw, desc: description } };
}

/** The tags of a WebM copy: Matroska's own names for the encoder and the date, not MP4's atoms. */
export function webmCopyTags(p: CopyProvenance): MetadataTags {
  const { title, comment } = provenanceTags(p);
  return {
    ...(title !== undefined ? { title } : {}),
    description: tagText(describeCopy(p)),
    comment,
    raw: { ENCODER: tagText(`${p.generator} ${p.generatorVersion}`), DATE_ENCODED: tagText(p.createdAt) },
  };
}

/** The text of a GIF copy's comment: the whole record as JSON, which reads back exactly. */
export function gifCopyComment(p: CopyProvenance): string {
  return JSON.stringify(p);
}
