// Types for gifenc (it ships none): the part of its API the GIF writer uses (gif-writer.ts).
declare module 'gifenc' {
  /** Colours as [r, g, b] (or [r, g, b, a]), 0–255. */
  export type Palette = number[][];
  export type ColourFormat = 'rgb565' | 'rgb444' | 'rgba4444';

  export interface GifByteStream {
    writeByte(byte: number): void;
    writeBytes(data: ArrayLike<number>, offset?: number, byteLength?: number): void;
  }

  export interface GifFrameOptions {
    /** The first frame's becomes the global colour table; a later frame's, its local one. */
    palette?: Palette;
    /** Milliseconds; written as Math.round(delay / 10) hundredths of a second. */
    delay?: number;
    /** On the first frame: -1 plays once, 0 loops forever, n > 0 repeats n times. */
    repeat?: number;
    transparent?: boolean;
    transparentIndex?: number;
    colorDepth?: number;
    dispose?: number;
  }

  export interface GifEncoderInstance {
    writeFrame(index: Uint8Array, width: number, height: number, options?: GifFrameOptions): void;
    /** Writes the trailer. */
    finish(): void;
    bytes(): Uint8Array<ArrayBuffer>;
    readonly stream: GifByteStream;
  }

  export function GIFEncoder(options?: { initialCapacity?: number; auto?: boolean }): GifEncoderInstance;
  /** A palette of at most maxColors colours for the pixels (RGBA bytes, its own whole buffer). */
  export function quantize(rgba: Uint8Array | Uint8ClampedArray, maxColors: number, options?: { format?: ColourFormat }): Palette;
  /** Each pixel's nearest palette index (RGBA bytes, its own whole buffer). */
  export function applyPalette(rgba: Uint8Array | Uint8ClampedArray, palette: Palette, format?: ColourFormat): Uint8Array;
}
