// One check of a whole generation request, in the worker, before anything runs. The studio, the
// page's automation door (window.kinora) and the command line all reach the worker with what they
// were given, so all three get the same messages, each naming the valid range. The command line
// also runs it before it starts a browser (scripts/generate.ts), so a bad flag fails at once.
// What needs the model (its frame rate, its frame limit) is checked later, in mode-plan.ts.
import { MAX_PROMPT_CHARS } from '../model/recaption/terms';
import type { GenerateRequest, GenerationMode, StoryboardShot } from './api';

export { MAX_PROMPT_CHARS };

/** The longest video Kinora makes in one request. */
export const MAX_SECONDS = 60;
export const STEPS_RANGE = { min: 1, max: 100 } as const;
export const GUIDANCE_RANGE = { min: 1, max: 20 } as const;
export const MAX_SEED = 0xffffffff;
export const MAX_SHOTS = 32;
const ASPECTS = ['1:1', '16:9', '9:16'] as const;
const BACKENDS = ['auto', 'webgpu', 'wasm'] as const;
const MODE_KINDS = ['text', 'image', 'extend', 'connect', 'edit', 'loop', 'storyboard'] as const;

export class InvalidRequestError extends Error {
  /** The user's to fix: the request itself, not another try. */
  readonly userError = true;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}

/** A value as the message shows it: strings quoted, long ones cut. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}

function fail(message: string): never {
  throw new InvalidRequestError(message);
}

/** Words are letters or digits; a prompt of punctuation or symbols alone says nothing to draw. */
const HAS_WORD = /[\p{L}\p{N}]/u;

/**
 * Why `text` cannot be a prompt, or null when it can. `what` names it in the message
 * ("The prompt", "Shot 2's prompt").
 */
export function promptProblem(text: unknown, what = 'The prompt'): string | null {
  if (typeof text !== 'string') return `${what} must be text, not ${shown(text)}.`;
  if (text.length > MAX_PROMPT_CHARS) return `${what} is ${text.length} characters long; at most ${MAX_PROMPT_CHARS} fit. Shorten it.`;
  if (!text.trim()) return `${what} is empty. Say what should happen, for example “a red ball bounces”.`;
  if (!HAS_WORD.test(text)) return `${what} ${shown(text.trim())} has only punctuation or symbols, no words. Say in words what should happen, for example “a red ball bounces”.`;
  return null;
}

function checkSeconds(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_SECONDS) {
    fail(`${what} must be a number of seconds above 0 and at most ${MAX_SECONDS}, not ${shown(value)}.`);
  }
  return value;
}

function checkBlob(value: unknown, what: string): void {
  if (!(value instanceof Blob)) fail(`This mode needs ${what}; none was given. Choose the file, or make a video from text.`);
}

function checkShot(shot: unknown, i: number): StoryboardShot {
  if (typeof shot !== 'object' || shot === null) fail(`Shot ${i + 1} must have a prompt and a length in seconds.`);
  const { prompt, seconds } = shot as Partial<StoryboardShot>;
  const problem = promptProblem(prompt, `Shot ${i + 1}'s prompt`);
  if (problem) fail(problem);
  return { prompt: prompt!, seconds: checkSeconds(seconds, `Shot ${i + 1}'s length`) };
}

function checkMode(mode: unknown): GenerationMode {
  if (typeof mode !== 'object' || mode === null) fail(`The mode must be one of ${MODE_KINDS.join(', ')}, not ${shown(mode)}.`);
  const m = mode as Record<string, unknown>;
  if (!MODE_KINDS.includes(m.kind as never)) fail(`There is no mode ${shown(m.kind)}. Choose one of ${MODE_KINDS.join(', ')}.`);
  switch (m.kind) {
    case 'image':
      checkBlob(m.image, 'an image to animate (PNG, JPEG or WebP)');
      break;
    case 'extend':
      checkBlob(m.clip, 'a clip to extend (MP4 or WebM)');
      if (m.direction !== 'forward' && m.direction !== 'backward') fail(`A clip is extended forward or backward, not ${shown(m.direction)}.`);
      break;
    case 'connect':
      checkBlob(m.first, 'a first image');
      checkBlob(m.last, 'a last image');
      break;
    case 'edit':
      checkBlob(m.clip, 'a clip to re-imagine (MP4 or WebM)');
      if (typeof m.strength !== 'number' || !(m.strength > 0 && m.strength <= 1)) fail(`The edit strength goes from above 0 (keep the clip) to 1 (ignore it), not ${shown(m.strength)}.`);
      break;
    case 'storyboard': {
      const shots = m.shots;
      if (!Array.isArray(shots) || shots.length === 0) fail('A storyboard needs at least one shot, each with a prompt and a length in seconds.');
      if (shots.length > MAX_SHOTS) fail(`A storyboard has at most ${MAX_SHOTS} shots, not ${shots.length}.`);
      return { kind: 'storyboard', shots: shots.map(checkShot) };
    }
  }
  return mode as GenerationMode;
}

/**
 * The request, checked field by field; throws an InvalidRequestError that names the field, what
 * was given and what is valid. Unknown fields are ignored.
 */
export function validateRequest(input: unknown): GenerateRequest {
  if (typeof input !== 'object' || input === null) fail('A request is an object with at least a prompt, seconds, aspect and seed.');
  const r = input as Record<string, unknown>;
  const mode = r.mode === undefined ? undefined : checkMode(r.mode);
  const storyboard = mode?.kind === 'storyboard';
  // A storyboard's shots carry the prompts; its own prompt may be empty.
  const blank = r.prompt === undefined || (typeof r.prompt === 'string' && !r.prompt.trim());
  const prompt = storyboard && blank ? '' : r.prompt;
  const problem = storyboard && blank ? null : promptProblem(prompt);
  if (problem) fail(problem);
  const seconds = checkSeconds(r.seconds, 'The duration');
  if (!ASPECTS.includes(r.aspect as never)) fail(`The shape (aspect) must be ${ASPECTS.join(', ')}, not ${shown(r.aspect)}.`);
  if (typeof r.seed !== 'number' || !Number.isInteger(r.seed) || r.seed < 0 || r.seed > MAX_SEED) {
    fail(`The seed must be a whole number from 0 to ${MAX_SEED}, not ${shown(r.seed)}.`);
  }
  if (r.steps !== undefined && (typeof r.steps !== 'number' || !Number.isInteger(r.steps) || r.steps < STEPS_RANGE.min || r.steps > STEPS_RANGE.max)) {
    fail(`Steps must be a whole number from ${STEPS_RANGE.min} to ${STEPS_RANGE.max}, not ${shown(r.steps)}.`);
  }
  if (r.guidance !== undefined && (typeof r.guidance !== 'number' || !Number.isFinite(r.guidance) || r.guidance < GUIDANCE_RANGE.min || r.guidance > GUIDANCE_RANGE.max)) {
    fail(`Guidance must be a number from ${GUIDANCE_RANGE.min} to ${GUIDANCE_RANGE.max}, not ${shown(r.guidance)}.`);
  }
  if (r.modelId !== undefined && (typeof r.modelId !== 'string' || !r.modelId || r.modelId.length > 100)) fail(`The model must be named by its id, not ${shown(r.modelId)}.`);
  if (r.backend !== undefined && !BACKENDS.includes(r.backend as never)) fail(`The engine (backend) must be ${BACKENDS.join(', ')}, not ${shown(r.backend)}.`);
  if (r.negativePrompt !== undefined && (typeof r.negativePrompt !== 'string' || r.negativePrompt.length > MAX_PROMPT_CHARS)) {
    fail(`The negative prompt must be text of at most ${MAX_PROMPT_CHARS} characters, not ${shown(r.negativePrompt)}.`);
  }
  if (r.promptInFile !== undefined && typeof r.promptInFile !== 'boolean') {
    fail(`Whether the prompt goes into the file (promptInFile) must be true or false, not ${shown(r.promptInFile)}.`);
  }
  return { ...(input as GenerateRequest), prompt: prompt as string, seconds, ...(mode ? { mode } : {}) };
}
