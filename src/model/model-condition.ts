// What a model reads from a request, as the DiT's text input [B, L, d_text] and its mask: a text
// model (formats 1 and 2) tokenizes the caption and runs its text encoder; a scene model (format 3)
// looks the scene up in its table. Guidance puts the unconditional side second: the negative
// prompt's caption or scene, else the empty one. generateFrames asks this and never which it is.
import type { SceneCondition, SceneTable } from './scene-condition';
import type { EncodedText, TextEncoderModel } from './text-encoder';
import type { Tokenizer } from './tokenizer';

/** The request's parts a condition may read. */
export interface ConditionRequest {
  caption: string;
  negativeCaption?: string;
  /** The scene the caption was written from (a scene model reads this, not the caption). */
  scene?: SceneCondition;
  /** What the negative prompt names, as a scene of only those parts. */
  negativeScene?: SceneCondition;
}

export interface ReadCondition {
  text: EncodedText;
  /** The words the model read, and those it ignored (a text model's tokenizer); empty for a scene model. */
  knownWords: string[];
  unknownWords: string[];
}

export interface ModelCondition {
  read(request: ConditionRequest, guided: boolean): Promise<ReadCondition>;
  release(): Promise<void>;
}

export class PromptHasNoKnownWordsError extends Error {
  /** The user's to fix: another wording, not another try. */
  readonly userError = true;
  constructor(readonly unknown: string[]) {
    super(
      unknown.length
        ? `The model knows none of these words: ${unknown.join(', ')}. Try colours, shapes and motions, like "a red ball bounces".`
        : 'The prompt is empty. Describe what should happen, like "a red ball bounces".',
    );
    this.name = 'PromptHasNoKnownWordsError';
  }
}

export class SceneMissingError extends Error {
  constructor() {
    super('This model reads the scene, and the request carried only a caption. Reload the page; if it stays, choose another model.');
    this.name = 'SceneMissingError';
  }
}

/** Formats 1 and 2: the caption's ids through the text encoder (ONNX). */
export class TextCondition implements ModelCondition {
  constructor(
    readonly tokenizer: Tokenizer,
    private readonly encoder: Pick<TextEncoderModel, 'encode' | 'release'>,
  ) {}

  async read(request: ConditionRequest, guided: boolean): Promise<ReadCondition> {
    const tokens = this.tokenizer.encode(request.caption);
    if (tokens.known.length === 0) throw new PromptHasNoKnownWordsError(tokens.unknown);
    const unconditional = request.negativeCaption ? this.tokenizer.encode(request.negativeCaption).ids : this.tokenizer.emptyPrompt();
    const text = await this.encoder.encode(guided ? [tokens.ids, unconditional] : [tokens.ids]);
    return { text, knownWords: tokens.known, unknownWords: tokens.unknown };
  }

  release(): Promise<void> {
    return this.encoder.release();
  }
}

/** Format 3: the scene's tokens from the model's table; the dropped scene (no token) is unconditional. */
export class SceneTableCondition implements ModelCondition {
  constructor(readonly table: SceneTable) {}

  async read(request: ConditionRequest, guided: boolean): Promise<ReadCondition> {
    if (!request.scene) throw new SceneMissingError();
    const unconditional: SceneCondition = request.negativeScene ?? { objects: [] };
    const text = this.table.encode(guided ? [request.scene, unconditional] : [request.scene]);
    return { text, knownWords: [], unknownWords: [] };
  }

  async release(): Promise<void> {}
}
