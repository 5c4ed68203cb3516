// Prompt → token ids, exactly as the model was trained (models/kinora/captions.py, docs/model-format.md):
// lowercase; every character outside [a-z0-9] becomes a space; split; words outside the
// vocabulary are dropped (there is no unknown-word id); ids are vocabulary line numbers,
// id 0 is padding; keep at most `maxTokens` ids and pad with 0.

export interface TokenizedPrompt {
  /** [maxTokens] ids, 0-padded. */
  ids: Int32Array;
  /** The words the model will read, in order (after truncation). */
  known: string[];
  /** Words of the prompt the model does not know and will ignore. */
  unknown: string[];
  /** Known words cut off because the prompt is longer than the model reads. */
  truncated: string[];
}

export const PAD_ID = 0;

export function normaliseWords(text: string): string[] {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').split(' ').filter((w) => w.length > 0);
}

export class Tokenizer {
  private readonly idOf: Map<string, number>;

  constructor(
    readonly vocabulary: readonly string[],
    readonly maxTokens: number,
  ) {
    if (vocabulary[0] !== '[pad]') throw new Error('The model vocabulary must start with [pad] (id 0).');
    this.idOf = new Map(vocabulary.map((w, i) => [w, i]));
  }

  knows(word: string): boolean {
    return this.idOf.has(word) && word !== '[pad]';
  }

  encode(text: string): TokenizedPrompt {
    const words = normaliseWords(text);
    const knownAll = words.filter((w) => this.knows(w));
    const unknown = [...new Set(words.filter((w) => !this.knows(w)))];
    const known = knownAll.slice(0, this.maxTokens);
    const ids = new Int32Array(this.maxTokens);
    known.forEach((w, i) => (ids[i] = this.idOf.get(w)!));
    return { ids, known, unknown, truncated: knownAll.slice(this.maxTokens) };
  }

  /** The unconditional input for classifier-free guidance: all padding. */
  emptyPrompt(): Int32Array {
    return new Int32Array(this.maxTokens);
  }
}
