// A kernel's uniform parameters: a flat struct of 4-byte scalars, declared once here in the
// same order as the `struct Params` in its WGSL file (tests/kernels/uniform-mirror.test.ts
// checks the two agree). Scalars only, so WGSL's layout is just 4 bytes per field.

export type ScalarType = 'u32' | 'i32' | 'f32';

export class UniformLayout<Field extends string> {
  readonly byteLength: number;

  constructor(
    /** The WGSL struct's name, for the mirror check. */
    readonly structName: string,
    readonly fields: ReadonlyArray<readonly [Field, ScalarType]>,
  ) {
    // Uniform bindings are sized in 16-byte steps so the struct always fits.
    this.byteLength = Math.max(16, Math.ceil((fields.length * 4) / 16) * 16);
  }

  pack(values: Record<Field, number>): ArrayBuffer {
    const data = new ArrayBuffer(this.byteLength);
    const view = new DataView(data);
    this.fields.forEach(([name, type], i) => {
      const v = values[name];
      if (typeof v !== 'number' || Number.isNaN(v)) throw new Error(`Uniform ${this.structName}.${name} is missing or NaN.`);
      if (type === 'f32') view.setFloat32(i * 4, v, true);
      else if (type === 'u32') {
        if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`Uniform ${this.structName}.${name} = ${v} is not a u32.`);
        view.setUint32(i * 4, v, true);
      } else {
        if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) throw new Error(`Uniform ${this.structName}.${name} = ${v} is not an i32.`);
        view.setInt32(i * 4, v, true);
      }
    });
    return data;
  }
}
