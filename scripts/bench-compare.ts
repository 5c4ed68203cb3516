// `npm run bench -- --compare kinora-v2,kinora-small`: after the model bench of each model
// (bench-model.ts), one table with them side by side: one DiT forward of a 2-s clip per engine, a
// whole 2-s generation through the site on wasm and on WebGPU, a 60-s video, warm start and the
// download a visitor needs. Read the rows together: they ran in the same process, one after the
// other, on the same machine (under whatever else it was running; the load is in each model's report).

interface Row { engine?: string; where?: string; threads?: number | string; ms?: number; backend?: string; elapsedMs?: number; kind?: string; firstStepMs?: number; totalMs?: number }

export interface ModelReport {
  model: string;
  parameters: number;
  shape: { frames: number; height: number; width: number };
  steps: number;
  forward: Row[];
  site: Row[];
  long: Row[];
  start: Row[];
  download: { wasm: number; webgpu: number };
  cpuFigures: boolean;
}

const ms = (v: number | undefined) => (v === undefined ? '–' : v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(1)} ms`);

export function compareTable(reports: ModelReport[]): string {
  const forward = (r: ModelReport, engine: string, where: string, threads?: number) =>
    r.forward.find((f) => f.engine?.startsWith(engine) && f.where === where && (threads === undefined || f.threads === threads))?.ms;
  const rows: Array<[string, (r: ModelReport) => string]> = [
    ['DiT parameters', (r) => `${(r.parameters / 1e6).toFixed(2)} M`],
    ['latents of a 2-s clip (T × h × w)', (r) => `${r.shape.frames} × ${r.shape.height} × ${r.shape.width}`],
    ['sampler steps', (r) => String(r.steps)],
    ['forward, ORT wasm, Node, 1 thread', (r) => ms(forward(r, 'onnxruntime-web wasm', 'Node', 1))],
    ['forward, ORT wasm, Node, 2 threads', (r) => ms(forward(r, 'onnxruntime-web wasm', 'Node', 2))],
    ['forward, WGSL (ours), Node, Dawn', (r) => ms(forward(r, 'wgsl', 'Node, Dawn'))],
    ['2-s video through the site, wasm', (r) => ms(r.site.find((s) => s.backend === 'wasm')?.elapsedMs)],
    ['2-s video through the site, WebGPU', (r) => ms(r.site.find((s) => s.backend === 'webgpu')?.elapsedMs)],
    ['60-s video through the site, wasm', (r) => ms(r.long.find((s) => s.backend === 'wasm')?.elapsedMs)],
    ['warm start (IndexedDB → 1st step)', (r) => ms(r.start.find((s) => s.kind === 'warm')?.firstStepMs)],
    ['download, WebGPU', (r) => `${(r.download.webgpu / 2 ** 20).toFixed(2)} MiB`],
    ['download, wasm', (r) => `${(r.download.wasm / 2 ** 20).toFixed(2)} MiB`],
  ];
  const lines = [
    `\nSide by side (${reports.map((r) => r.model).join(' vs ')}; same run, same machine${reports.some((r) => r.cpuFigures) ? '; WebGPU here is SwiftShader, a CPU: its figures are CPU figures' : ''}):\n`,
    `| | ${reports.map((r) => r.model).join(' | ')} |`,
    `|---|${reports.map(() => '---').join('|')}|`,
    ...rows.map(([what, cell]) => `| ${what} | ${reports.map(cell).join(' | ')} |`),
  ];
  return lines.join('\n');
}
