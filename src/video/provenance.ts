// Content provenance for every video Kinora writes: who made it (the generator and its version),
// with what (model id and the sha256 of its weights), from what (prompt, the caption the model read
// from it, the negative prompt, seed, settings) and when.
// The prompt is the user's: the prompt, its caption and the negative prompt go into the file only
// when the person chose so (GenerationFacts.promptInFile); a shared clip then says how it was
// made but not what was asked for. Everything else goes in either way.
// It is stored as ordinary MP4 metadata that any player or ffprobe shows (title, description,
// encoder, date), plus the whole record as JSON in the comment tag so that Kinora, or anyone,
// can read it back exactly.
import type { MetadataTags } from 'mediabunny';
import { version as KINORA_VERSION } from '../../package.json';

export const PROVENANCE_SCHEMA = 'kinora-provenance/1';
export const GENERATOR_NAME = 'Kinora';

export interface ModelIdentity {
  /** The manifest's model id, e.g. "kinora-tiny". */
  id: string;
  /** Hex sha256 of the model's weights, as in its manifest. */
  sha256: string;
}

export interface ProvenanceSettings {
  steps: number;
  guidance: number;
  /** "1:1", "16:9" or "9:16". */
  aspect: string;
  /** The requested length in seconds. */
  seconds: number;
  /** How it was made: text, image, extend, connect, edit, loop or storyboard (absent in older files: text). */
  mode?: string;
}

/** The negative prompt, its caption (the unconditional side of guidance) and whether guidance used it. */
export interface NegativeFacts {
  prompt: string;
  /** '' when it named nothing Kinora draws. */
  caption: string;
  used: boolean;
}

/** What the caller of the writer knows about the generation. */
export interface GenerationFacts {
  model: ModelIdentity;
  prompt: string;
  /**
   * Whether the prompt, the caption and the negative prompt are written into the file. Required, so
   * that no caller leaks them by forgetting: the studio's setting is off unless the person turns it on.
   */
  promptInFile: boolean;
  /** What the model read: the caption written from the prompt (shots joined by " / "). Absent in older files. */
  caption?: string;
  negative?: NegativeFacts;
  seed: number;
  settings: ProvenanceSettings;
  /** Defaults to the moment the writer is created. */
  createdAt?: Date;
}

/** How the frames were encoded; `upscale` > 1 means each frame pixel became an upscale × upscale block. */
export interface EncodingFacts {
  codec: string;
  fps: number;
  frameWidth: number;
  frameHeight: number;
  upscale: number;
}

export interface Provenance {
  schema: typeof PROVENANCE_SCHEMA;
  generator: string;
  generatorVersion: string;
  model: ModelIdentity;
  /** Absent, with the caption and the negative prompt, when the person kept the prompt out of the file. */
  prompt?: string;
  caption?: string;
  negative?: NegativeFacts;
  seed: number;
  settings: ProvenanceSettings;
  /** ISO 8601, UTC. */
  createdAt: string;
  encoding: EncodingFacts;
}

export function buildProvenance(facts: GenerationFacts, encoding: EncodingFacts): Provenance {
  return {
    schema: PROVENANCE_SCHEMA,
    generator: GENERATOR_NAME,
    generatorVersion: KINORA_VERSION,
    model: { id: facts.model.id, sha256: facts.model.sha256 },
    ...(facts.promptInFile ? promptFacts(facts) : {}),
    seed: facts.seed,
    settings: { ...facts.settings },
    createdAt: (facts.createdAt ?? new Date()).toISOString(),
    encoding: { ...encoding },
  };
}

/** The parts of the record that tell what was asked for. */
function promptFacts(facts: GenerationFacts): Pick<Provenance, 'prompt' | 'caption' | 'negative'> {
  return {
    prompt: facts.prompt,
    ...(facts.caption !== undefined ? { caption: facts.caption } : {}),
    ...(facts.negative ? { negative: { ...facts.negative } } : {}),
  };
}

/** Said where the prompt would be, so that a reader knows it was left out on purpose, not lost. */
export const PROMPT_KEPT_PRIVATE = 'The prompt is not in this file: whoever made it kept it private.';

/** One sentence a person reads in a player's "info" panel. */
export function describeProvenance(p: Provenance): string {
  const { steps, guidance, aspect, seconds, mode } = p.settings;
  const made = mode && mode !== 'text' ? ` (${mode} mode)` : '';
  const enlarged =
    p.encoding.upscale > 1
      ? ` Its ${p.encoding.frameWidth}×${p.encoding.frameHeight} frames were enlarged ${p.encoding.upscale}× ` +
        `(nearest neighbour) because the encoder refused their size.`
      : '';
  return (
    `Made by ${p.generator} ${p.generatorVersion} with the model ${p.model.id} (sha256 ${p.model.sha256})` +
    `${promptClause(p)}${made}: seed ${p.seed}, ${steps} steps, guidance ${guidance}, aspect ${aspect}, ${seconds} s.` +
    (p.prompt === undefined ? ` ${PROMPT_KEPT_PRIVATE}` : '') +
    enlarged
  );
}

function promptClause(p: Provenance): string {
  if (p.prompt === undefined) return '';
  return ` from the prompt "${p.prompt}"${p.caption !== undefined ? `, read as "${p.caption}"` : ''}${negativeClause(p.negative)}`;
}

function negativeClause(n: NegativeFacts | undefined): string {
  if (!n) return '';
  if (!n.used) return `, with the negative prompt "${n.prompt}" (not used)`;
  return `, with the negative prompt "${n.prompt}" (read as "${n.caption}")`;
}

/** Characters that must never reach a tag raw: controls (a newline makes ffprobe print a fake "TAG:" line, ESC starts a terminal escape), line separators and bidi overrides. */
const UNSAFE_IN_TAGS = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/** Text as a tag shows it: every unsafe character a space, runs of space one, cut to `max` characters. */
export function tagText(text: string, max = Infinity): string {
  const clean = text.replace(UNSAFE_IN_TAGS, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** The record as JSON with every unsafe character escaped (JSON.stringify leaves DEL, C1 controls and separators raw); JSON.parse gives back the exact record. */
function safeJson(p: Provenance): string {
  return JSON.stringify(p).replace(UNSAFE_IN_TAGS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Characters of the prompt the title and description show; the whole prompt is in the comment, once (when it is in the file at all). */
export const PROMPT_IN_TAGS = 100;

/**
 * The MP4 tags (iTunes-style 'ilst' items, which ffprobe reports as title, description,
 * comment, encoder and date; no title when the prompt is kept out of the file). The description
 * goes in twice: Mediabunny writes it as '©des',
 * while iTunes and FFmpeg read 'desc'. The date goes in raw so that it keeps the time of day:
 * Mediabunny's `date` field writes only the day. The prompt is written whole once, in the
 * comment's record; the title and the description show its first PROMPT_IN_TAGS characters, so a
 * long prompt does not grow the file four times over. All of it is normalised (tagText).
 */
export function provenanceTags(p: Provenance): MetadataTags {
  // Without the prompt there is no title: a player shows the file's name instead.
  const title = p.prompt === undefined ? undefined : tagText(p.prompt, PROMPT_IN_TAGS);
  const description = tagText(describeProvenance(title === undefined ? p : { ...p, prompt: title }));
  return {
    ...(title !== undefined ? { title } : {}),
    description,
    comment: safeJson(p),
    raw: { desc: description, '©too': tagText(`${p.generator} ${p.generatorVersion}`), '©day': tagText(p.createdAt) },
  };
}

/** The record from a file's tags, or null when the file carries none (or a damaged one). */
export function provenanceFromTags(tags: MetadataTags): Provenance | null {
  if (typeof tags.comment !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(tags.comment);
  } catch {
    return null;
  }
  return isProvenance(value) ? value : null;
}

type Shape = 'string' | 'number' | { [key: string]: Shape };

const PROVENANCE_SHAPE: Shape = {
  schema: 'string',
  generator: 'string',
  generatorVersion: 'string',
  model: { id: 'string', sha256: 'string' },
  seed: 'number',
  settings: { steps: 'number', guidance: 'number', aspect: 'string', seconds: 'number' },
  createdAt: 'string',
  encoding: { codec: 'string', fps: 'number', frameWidth: 'number', frameHeight: 'number', upscale: 'number' },
};

function matchesShape(value: unknown, shape: Shape): boolean {
  if (shape === 'string' || shape === 'number') return typeof value === shape;
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return Object.entries(shape).every(([key, inner]) => matchesShape(record[key], inner));
}

export function isProvenance(value: unknown): value is Provenance {
  if (!matchesShape(value, PROVENANCE_SHAPE) || (value as Provenance).schema !== PROVENANCE_SCHEMA) return false;
  // The prompt may be absent (kept private), never something other than text.
  const { prompt } = value as Provenance;
  return prompt === undefined || typeof prompt === 'string';
}
