// 3D RoPE (shaders/rope.wgsl) against the float64 reference (which computes its own angles).
// With the float64 angle table only f32 rounding remains: |gpu − ref| ≤ 1e-6 for |x| ≤ 1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelRuntime } from '../../src/gpu/kernel-runtime';
import { rope3dReference } from '../../src/gpu/reference/rope';
import { defaultRopeSplit, rope3d, ropeAngleTable, type Rope3dSplit, type RopeGrid } from '../../src/gpu/rope';
import { compare, randomArray } from './check';
import { nodeGpuDevice } from './node-gpu';

let rt: KernelRuntime;
beforeAll(async () => {
  rt = new KernelRuntime(await nodeGpuDevice());
});
afterAll(() => rt.pool.trim());

async function check(batch: number, grid: RopeGrid, heads: number, headDim: number, split: Rope3dSplit, seed: number) {
  const d = heads * headDim;
  const tokens = grid.frames * grid.height * grid.width;
  const data = randomArray(batch * tokens * 3 * d, seed);
  const qkv = rt.upload(data, [batch, tokens, 3 * d]);
  const table = rt.upload(ropeAngleTable(grid, split), [ropeAngleTable(grid, split).length]);
  rope3d(rt, { qk: qkv, qOffset: 0, kOffset: d, numHeads: heads, headDim, grid, split, angleTable: table });
  const got = await rt.read(qkv);
  const want = rope3dReference({ data, batch, width: 3 * d, qOffset: 0, kOffset: d, numHeads: heads, headDim, grid, split });
  const s = compare(got, want);
  expect(s.nonFinite).toBe(0);
  expect(s.maxAbs).toBeLessThanOrEqual(1e-6);
  // v (the last third of every row) is untouched, bit for bit.
  for (let n = 0; n < batch * tokens; n++) {
    for (let c = 2 * d; c < 3 * d; c++) if (got[n * 3 * d + c] !== data[n * 3 * d + c]) throw new Error(`v changed at token ${n}, feature ${c}`);
  }
  qkv.release();
  table.release();
}

describe('rope_3d_interleaved', () => {
  it("Kinora's split for head size 32 (8, 12, 12) on a 3×4×7 grid, 2 heads, batch 2", async () => {
    await check(2, { frames: 3, height: 4, width: 7 }, 2, 32, defaultRopeSplit(32), 1);
  });
  it('head size 64 (16, 24, 24), 16 frames of 2×2 (frame positions up to 15)', async () => {
    await check(1, { frames: 16, height: 2, width: 2 }, 1, 64, defaultRopeSplit(64), 2);
  });
  it('a split that leaves the last pairs unrotated (4, 8, 8 of 32)', async () => {
    await check(1, { frames: 2, height: 3, width: 5 }, 2, 32, { t: 4, h: 8, w: 8 }, 3);
  });
  it('matches the documented example: pair 0 of a head rotates by the frame index', async () => {
    // One token at frame 1 (grid 2×1×1, token 1), q = (1, 0, …): pair 0 has frequency 1, angle 1 rad.
    const headDim = 32;
    const data = new Float32Array(2 * 2 * headDim);
    data[2 * headDim] = 1;
    const t = rt.upload(data, [1, 2, 2 * headDim]);
    const grid = { frames: 2, height: 1, width: 1 };
    const tableData = ropeAngleTable(grid, defaultRopeSplit(headDim));
    const table = rt.upload(tableData, [tableData.length]);
    rope3d(rt, { qk: t, qOffset: 0, kOffset: headDim, numHeads: 1, headDim, grid, split: defaultRopeSplit(headDim), angleTable: table });
    const got = await rt.read(t);
    expect(got[2 * headDim]).toBeCloseTo(Math.cos(1), 6);
    expect(got[2 * headDim + 1]).toBeCloseTo(Math.sin(1), 6);
    t.release();
    table.release();
  });
});
