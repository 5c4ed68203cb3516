// The runtime's memory and compilation bookkeeping: pooled buffers come back only after a submit
// (so a re-used buffer can never be overwritten under commands still waiting to run), sizes round
// up to few classes, and each (shader, entry point, constants) compiles once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sizeClass } from '../../src/gpu/buffer-pool';
import { KernelRuntime, linearWorkgroups } from '../../src/gpu/kernel-runtime';
import { KernelOps } from '../../src/gpu/ops';
import { nodeGpuDevice } from './node-gpu';

let rt: KernelRuntime;
beforeAll(async () => {
  rt = new KernelRuntime(await nodeGpuDevice());
});
afterAll(() => rt.pool.trim());

describe('BufferPool', () => {
  it('rounds sizes to power-of-two eighths, at least 256 bytes', () => {
    expect(sizeClass(1)).toBe(256);
    expect(sizeClass(1024)).toBe(1024);
    expect(sizeClass(1025)).toBe(1152);
    expect(sizeClass(3 * 2 ** 20 + 1)).toBe(3 * 2 ** 20 + 2 ** 18);
  });

  it('hands a released buffer out again only after the next submit', () => {
    const a = rt.tensor([1000]);
    const buffer = a.buffer;
    a.release();
    const b = rt.tensor([1000]);
    expect(b.buffer).not.toBe(buffer);
    rt.submit();
    const c = rt.tensor([1000]);
    expect(c.buffer).toBe(buffer);
    b.release();
    c.release();
    expect(() => c.release()).toThrow(/twice/);
  });

  it('reuses every activation buffer from the second denoising step on', async () => {
    const ops = new KernelOps(rt);
    const step = () => {
      const n = ops.noise([1, 4, 2, 4, 4], 1);
      const tokens = ops.patchify(n);
      const back = ops.unpatchify(tokens, n.shape);
      for (const t of [n, tokens, back]) t.release();
      rt.submit();
    };
    step();
    const created = rt.pool.getStats().created;
    step();
    step();
    expect(rt.pool.getStats().created).toBe(created);
    await rt.finish();
    ops.dispose();
  });
});

describe('PipelineCache', () => {
  it('compiles a pipeline once per distinct override constants', () => {
    const before = rt.pipelines.size;
    const ops = new KernelOps(rt);
    const x = rt.tensor([1, 8, 8]);
    const w = rt.tensor([8, 8]);
    for (let i = 0; i < 3; i++) ops.linear(x, w).release();
    expect(rt.pipelines.size).toBe(before + 1);
    ops.linear(x, w, undefined, { gelu: true }).release();
    expect(rt.pipelines.size).toBe(before + 2);
    x.release();
    w.release();
    rt.submit();
  });
});

describe('linearWorkgroups', () => {
  it('folds more than 65535 workgroups into a second dimension', () => {
    expect(linearWorkgroups(1000, 256)).toEqual([4, 1]);
    expect(linearWorkgroups(65536 * 256, 256)).toEqual([65535, 2]);
  });
});
