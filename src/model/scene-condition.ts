// A scene model's condition (format 3, docs/model-format.md): the scene itself as a few tokens, not
// a caption through a text encoder. Token 0 is the background, token 1 the camera, tokens 2… the
// objects; each token is the sum of the table rows its fields name (models/kinora/scene_tokens.py
// writes the same rows in the same order). So editing one part under "Kinora will make:" changes one
// token, and two storyboard shots that share an object share its token exactly.
import type { EncodedText } from './text-encoder';
import type { Background, Camera, SceneObject } from './recaption';

/**
 * What one side of guidance asks for. A prompt's scene names everything; the negative side names
 * only what is unwanted (an object token with just a colour, say), so every part may be missing.
 */
export interface SceneCondition {
  background?: Partial<Background> & { kind?: Background['kind'] };
  camera?: Camera;
  objects: readonly Partial<SceneObject>[];
}

/** The manifest's `condition` of a scene model. */
export interface SceneConditionFacts {
  kind: 'scene';
  vocab: string[];
  tokens: number;
  fields: number;
  table: { file: string; tensor: string };
}

/** The vocabulary words of each token (background, camera, objects), as scene_tokens.scene_ids writes them. */
export function sceneTokenWords(scene: SceneCondition, maxObjects: number): string[][] {
  const bg = scene.background;
  const background: string[] = [];
  if (bg) {
    background.push('role:background');
    if (bg.kind) background.push(`bg:${bg.kind}`);
    if ('colour' in bg && bg.colour) background.push(`bgcolour:${bg.colour}`);
    if ('top' in bg && bg.top) background.push(`bgtop:${bg.top}`);
    if ('bottom' in bg && bg.bottom) background.push(`bgbottom:${bg.bottom}`);
  }
  const camera = scene.camera ? ['role:camera', `camera:${scene.camera}`] : [];
  const objects = Array.from({ length: maxObjects }, (_, i) => {
    const o = scene.objects[i];
    if (!o) return [];
    const parts: (keyof SceneObject)[] = ['colour', 'shape', 'size', 'motion', 'speed'];
    return ['role:object', `slot:${i + 1}`, ...parts.flatMap((p) => (o[p] ? [`${p}:${o[p]}`] : []))];
  });
  return [background, camera, ...objects];
}

export class SceneConditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SceneConditionError';
  }
}

/** The model's table of learned rows and the lookup that turns scenes into the DiT's text input. */
export class SceneTable {
  private readonly indexOf: Map<string, number>;

  /** `rows`: [vocab.length, width] float32, row 0 (nothing) all zeros. */
  constructor(
    readonly facts: SceneConditionFacts,
    private readonly rows: Float32Array,
    readonly width: number,
  ) {
    if (rows.length !== facts.vocab.length * width) {
      throw new SceneConditionError(`The scene table holds ${rows.length} numbers; ${facts.vocab.length} rows of ${width} were expected.`);
    }
    this.indexOf = new Map(facts.vocab.map((w, i) => [w, i]));
  }

  /** ids [tokens, fields] into the vocabulary (0 = nothing). */
  ids(scene: SceneCondition): Int32Array {
    const { tokens, fields } = this.facts;
    const out = new Int32Array(tokens * fields);
    sceneTokenWords(scene, tokens - 2).forEach((words, k) => {
      if (words.length > fields) throw new SceneConditionError(`A scene token has ${words.length} parts; the model reads at most ${fields}.`);
      words.forEach((word, f) => {
        const id = this.indexOf.get(word);
        if (id === undefined) throw new SceneConditionError(`This model does not know the scene part "${word}".`);
        out[k * fields + f] = id;
      });
    });
    return out;
  }

  /** Several scenes as one batch: text [B, tokens, width], mask [B, tokens] (1 where a token has a part). */
  encode(scenes: readonly SceneCondition[]): EncodedText {
    const { tokens, fields } = this.facts;
    const d = this.width;
    const text = new Float32Array(scenes.length * tokens * d);
    const mask = new Float32Array(scenes.length * tokens);
    scenes.forEach((scene, b) => {
      const ids = this.ids(scene);
      for (let k = 0; k < tokens; k++) {
        const at = (b * tokens + k) * d;
        for (let f = 0; f < fields; f++) {
          const id = ids[k * fields + f];
          if (id === 0) continue;
          mask[b * tokens + k] = 1;
          for (let i = 0; i < d; i++) text[at + i] += this.rows[id * d + i];
        }
      }
    });
    return { text, mask, batch: scenes.length, length: tokens, width: d };
  }
}
