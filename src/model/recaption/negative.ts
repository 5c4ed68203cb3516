// The negative prompt: what the video should not contain ("no stars", "not blue", "without a
// ball"), read by the same parser, and written as a caption for the unconditional side of
// classifier-free guidance (in place of the empty caption), so sampling is pushed away from it.
// Negation words are optional here: "stars" in the negative prompt already means "no stars".
import { backgroundPhrase, CAPTION_MAX_TOKENS } from './caption';
import { parse, type Excluded } from './parse';
import type { Camera, Motion } from './scene';
import { normaliseWords } from '../tokenizer';

export interface NegativePrompt {
  text: string;
  /** What is unwanted, one entry per thing named; attributes left out were not named. */
  unwanted: Excluded[];
  /** A camera move that is unwanted ("no zoom in"), when one was named. */
  camera?: Camera;
  /** The caption for the unconditional side; undefined when nothing drawable was named. */
  caption?: string;
  notes: string[];
}

const MOTION_CLAUSE: Record<Motion, string> = {
  left: 'moves to the left', right: 'moves to the right', up: 'moves up', down: 'moves down', bounce: 'bounces',
  fall: 'falls and lands', rotate: 'rotates', grow: 'grows', shrink: 'shrinks', orbit: 'circles around the centre',
  still: 'stays still',
};
const CAMERA_CLAUSE: Record<Camera, string> = {
  static: 'the camera is static', pan_left: 'the camera pans left', pan_right: 'the camera pans right',
  zoom_in: 'the camera zooms in', zoom_out: 'the camera zooms out',
};

export function parseNegative(text: string): NegativePrompt {
  const parsed = parse(text, [], { everyObject: true });
  const unwanted: Excluded[] = [...parsed.excluded, ...parsed.unattachedColours.map((colour) => ({ text: colour, colour }))];
  for (const o of parsed.objects) {
    unwanted.push({
      text: o.standsFor ?? [o.stated.size ? o.size : '', o.stated.colour ? o.colour : '', o.stated.shape ? o.shape : ''].filter(Boolean).join(' '),
      ...(o.stated.colour ? { colour: o.colour } : {}),
      ...(o.stated.shape ? { shape: o.shape } : {}),
      ...(o.stated.size ? { size: o.size } : {}),
      ...(o.stated.motion ? { motion: o.motion } : {}),
    });
  }
  if (parsed.backgroundStated) unwanted.push({ text: 'background', background: parsed.scene.background });
  const camera = parsed.cameraStated && parsed.scene.camera !== 'static' ? parsed.scene.camera : undefined;
  // The positive prompt's notes about what will be drawn do not apply to what should not be.
  const notes = parsed.notes.filter((n) => !n.startsWith('Nothing in the prompt') && !n.startsWith('The prompt names a background') && !n.startsWith('Never seen') && !n.includes('belongs to no object') && !n.startsWith('Every '));
  if (parsed.cameraStated && parsed.scene.camera === 'static') {
    notes.push('A still camera cannot be unwanted as one caption; set the camera instead.');
  }
  // One clause per distinct thing: "no stars" names two stars (a plural) and "no stars, no stars" four,
  // but guidance needs to hear "A star." once.
  const clauses = [...new Set([...unwanted.map(negativeClause).filter((c): c is string => !!c), ...(camera ? [CAMERA_CLAUSE[camera]] : [])])];
  const caption = fitCaption(clauses);
  if (!caption && text.trim()) notes.push('Nothing in the negative prompt is something Kinora draws; guidance stays unconditional.');
  return { text, unwanted, camera, caption, notes };
}

/** "a blue object", "a star bounces", "on a red background": the training captions' words for one unwanted thing. */
function negativeClause(u: Excluded): string | undefined {
  if (u.background) return backgroundPhrase(u.background);
  if (!u.colour && !u.shape && !u.size && !u.motion) return undefined;
  const noun = [u.size === 'medium' ? 'medium sized' : u.size, u.colour, u.shape ?? 'object'].filter(Boolean).join(' ');
  const subject = `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
  return u.motion ? `${subject} ${MOTION_CLAUSE[u.motion]}` : subject;
}

function fitCaption(clauses: string[]): string | undefined {
  const kept: string[] = [];
  for (const clause of clauses) {
    const next = [...kept, clause];
    if (normaliseWords(next.join(' ')).length > CAPTION_MAX_TOKENS) break;
    kept.push(clause);
  }
  if (!kept.length) return undefined;
  return kept.map((c) => c[0].toUpperCase() + c.slice(1)).join('. ') + '.';
}
