// Reads a safetensors file (8-byte little-endian header length, a JSON header, then raw
// little-endian tensor data) into views on the file's own ArrayBuffer: a model's weights are
// hundreds of megabytes, so nothing is copied unless a tensor's offset is misaligned for its
// typed array (the exporter aligns the data start to 8 and sizes are multiples of the element
// size, so in practice that never happens). Every host that runs WebGPU is little-endian.
import { SafetensorsFormatError } from './errors';

const ELEMENT_BYTES = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
} as const;

export type SafetensorsDType = keyof typeof ELEMENT_BYTES;

/** Element values as stored: F16 and BF16 as their raw 16-bit patterns, BOOL as bytes. */
export type TensorData = Float64Array | Float32Array | Uint16Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array;

export interface SafeTensor {
  name: string;
  dtype: SafetensorsDType;
  shape: readonly number[];
  /** The tensor's bytes, a view into the file (never a copy). */
  bytes: Uint8Array<ArrayBuffer>;
  /** Typed elements: a view into the file, or a copy only when the offset is misaligned. */
  data: TensorData;
}

export interface SafetensorsFile {
  tensors: ReadonlyMap<string, SafeTensor>;
  /** The header's optional `__metadata__`: string keys to string values. */
  metadata: Readonly<Record<string, string>>;
}

/** The format caps the header at 100 MB; anything larger is a corrupt length. */
const MAX_HEADER_BYTES = 100_000_000;

export function parseSafetensors(file: ArrayBuffer | Uint8Array<ArrayBuffer>): SafetensorsFile {
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(file);
  if (bytes.byteLength < 8) throw new SafetensorsFormatError(`it is ${bytes.byteLength} bytes long, shorter than the 8-byte header length`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(Math.min(MAX_HEADER_BYTES, bytes.byteLength - 8))) {
    throw new SafetensorsFormatError(`its header claims ${headerLength} bytes but the file has ${bytes.byteLength - 8} after the length`);
  }
  const headerEnd = 8 + Number(headerLength);
  const header = parseHeaderJson(bytes.subarray(8, headerEnd));
  const data = bytes.subarray(headerEnd);

  const tensors = new Map<string, SafeTensor>();
  let metadata: Record<string, string> = {};
  const spans: { name: string; start: number; end: number }[] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = parseMetadata(entry);
      continue;
    }
    const tensor = parseEntry(name, entry, data);
    tensors.set(name, tensor);
    spans.push({ name, start: tensor.bytes.byteOffset - data.byteOffset, end: tensor.bytes.byteOffset - data.byteOffset + tensor.bytes.byteLength });
  }
  // Overlapping tensors would alias each other's weights: a writer bug we refuse to load.
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i].start < spans[i - 1].end) throw new SafetensorsFormatError(`tensors ${spans[i - 1].name} and ${spans[i].name} overlap`);
  }
  return { tensors, metadata };
}

function parseHeaderJson(headerBytes: Uint8Array): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (err) {
    throw new SafetensorsFormatError(`its header is not UTF-8 JSON (${(err as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new SafetensorsFormatError('its header is not a JSON object');
  return header as Record<string, unknown>;
}

function parseMetadata(entry: unknown): Record<string, string> {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry) || !Object.values(entry).every((v) => typeof v === 'string')) {
    throw new SafetensorsFormatError('its __metadata__ is not an object of strings');
  }
  return entry as Record<string, string>;
}

function parseEntry(name: string, entry: unknown, data: Uint8Array<ArrayBuffer>): SafeTensor {
  if (typeof entry !== 'object' || entry === null) throw new SafetensorsFormatError(`the entry for ${name} is not an object`);
  const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in ELEMENT_BYTES)) {
    throw new SafetensorsFormatError(`${name} has dtype ${JSON.stringify(dtype)}, which Kinora does not read (${Object.keys(ELEMENT_BYTES).join(', ')})`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new SafetensorsFormatError(`${name} has shape ${JSON.stringify(shape)}, not a list of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    throw new SafetensorsFormatError(`${name} has data_offsets ${JSON.stringify(offsets)}, not [begin, end]`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end || end > data.byteLength) {
    throw new SafetensorsFormatError(`${name} spans bytes ${begin}..${end} but the data section has ${data.byteLength}`);
  }
  const type = dtype as SafetensorsDType;
  const elements = (shape as number[]).reduce((n, d) => n * d, 1);
  if (end - begin !== elements * ELEMENT_BYTES[type]) {
    throw new SafetensorsFormatError(`${name} is ${type} [${shape.join(', ')}], which needs ${elements * ELEMENT_BYTES[type]} bytes, but spans ${end - begin}`);
  }
  const bytes = data.subarray(begin, end);
  return { name, dtype: type, shape: shape as number[], bytes, data: typedView(type, bytes) };
}

function typedView(dtype: SafetensorsDType, bytes: Uint8Array<ArrayBuffer>): TensorData {
  const size = ELEMENT_BYTES[dtype];
  // A typed array must start at a multiple of its element size; copy only when it does not.
  const aligned = bytes.byteOffset % size === 0 ? bytes : bytes.slice();
  const { buffer, byteOffset } = aligned;
  const length = bytes.byteLength / size;
  switch (dtype) {
    case 'F64':
      return new Float64Array(buffer, byteOffset, length);
    case 'F32':
      return new Float32Array(buffer, byteOffset, length);
    case 'F16':
    case 'BF16':
      return new Uint16Array(buffer, byteOffset, length);
    case 'I64':
      return new BigInt64Array(buffer, byteOffset, length);
    case 'I32':
      return new Int32Array(buffer, byteOffset, length);
    case 'I16':
      return new Int16Array(buffer, byteOffset, length);
    case 'I8':
      return new Int8Array(buffer, byteOffset, length);
    case 'U8':
    case 'BOOL':
      return new Uint8Array(buffer, byteOffset, length);
  }
}
