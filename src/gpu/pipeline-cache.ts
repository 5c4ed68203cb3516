// Compiles each (WGSL source, entry point, override constants) once and hands back the same
// GPUComputePipeline afterwards: the DiT issues the same few dozen dispatches every step.

export interface PipelineKey {
  /** A stable name for the shader, used in labels and error messages. */
  label: string;
  code: string;
  entryPoint: string;
  /** Pipeline-overridable constants (`override` in WGSL): tile sizes, variants, flags. */
  constants?: Record<string, number | boolean>;
}

export class PipelineCache {
  private readonly modules = new Map<string, GPUShaderModule>();
  private readonly pipelines = new Map<string, GPUComputePipeline>();

  constructor(private readonly device: GPUDevice) {}

  get size(): number {
    return this.pipelines.size;
  }

  get(key: PipelineKey): GPUComputePipeline {
    const constants: Record<string, number> = {};
    for (const [name, value] of Object.entries(key.constants ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      constants[name] = typeof value === 'boolean' ? Number(value) : value;
    }
    const id = `${key.label}\u0000${key.entryPoint}\u0000${JSON.stringify(constants)}\u0000${key.code.length}`;
    let pipeline = this.pipelines.get(id);
    if (pipeline) return pipeline;
    let module = this.modules.get(key.code);
    if (!module) {
      module = this.device.createShaderModule({ code: key.code, label: key.label });
      this.modules.set(key.code, module);
    }
    pipeline = this.device.createComputePipeline({
      label: `${key.label}:${key.entryPoint}`,
      layout: 'auto',
      compute: { module, entryPoint: key.entryPoint, constants },
    });
    this.pipelines.set(id, pipeline);
    return pipeline;
  }
}
