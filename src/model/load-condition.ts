// Builds a model's condition from its files: a scene model (format 3, manifest `condition`) reads
// its table of rows from scene_table.safetensors; a text model loads its tokenizer and
// text_encoder.onnx.
import type { ModelSource } from './model-source';
import { parseSafetensors } from './loader/safetensors';
import { tensorToFloat32 } from './loader/to-float32';
import { SceneTableCondition, TextCondition, type ModelCondition } from './model-condition';
import type { OnnxModel } from './onnx-runtime';
import { SceneConditionError, SceneTable } from './scene-condition';
import { TextEncoderModel } from './text-encoder';
import { Tokenizer } from './tokenizer';

export async function loadCondition(source: ModelSource, onnxPart: (file: string) => Promise<OnnxModel>): Promise<ModelCondition> {
  const m = source.manifest;
  if (m.condition?.kind === 'scene') {
    const facts = m.condition;
    const file = parseSafetensors(new Uint8Array(await source.file(facts.table.file))); // a copy on its own ArrayBuffer (a few kB)
    const tensor = file.tensors.get(facts.table.tensor);
    if (!tensor || tensor.shape.length !== 2) throw new SceneConditionError(`${facts.table.file} holds no two-dimensional "${facts.table.tensor}".`);
    return new SceneTableCondition(new SceneTable(facts, tensorToFloat32(tensor), tensor.shape[1]));
  }
  if (!m.tokenizer) throw new SceneConditionError(`The model "${m.id}" has neither a tokenizer nor a scene condition.`);
  return new TextCondition(new Tokenizer(m.tokenizer.vocab, m.tokenizer.max_tokens), new TextEncoderModel(await onnxPart('text_encoder.onnx')));
}
