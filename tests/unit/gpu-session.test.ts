// The worker's GPU session on a real WebGPU (Dawn on SwiftShader): acquisition, the facts it
// reports, recovery after a device loss, and the three ways WebGPU can be unavailable.
import { describe, expect, it } from 'vitest';
import { create, globals } from 'webgpu';
import { GpuSession } from '../../src/worker/gpu-session';
import type { DeviceLostEvent } from '../../src/worker/api';

Object.assign(globalThis, globals);
const dawn = create([]);

describe('GpuSession', () => {
  it('reports the adapter, the features it enabled and the limits it raised', async () => {
    const session = new GpuSession(() => dawn);
    const status = await session.status();
    expect(status.state).toBe('ready');
    if (status.state !== 'ready') return;
    expect(status.deviceNumber).toBe(1);
    expect(status.facts.adapterFeatures.length).toBeGreaterThan(0);
    // Every enabled feature must be one the adapter offers.
    for (const f of status.facts.enabledFeatures) expect(status.facts.adapterFeatures).toContain(f);
    // The binding limit is raised above the spec default where the adapter allows it (SwiftShader: 1 GiB).
    const binding = status.facts.limits.maxStorageBufferBindingSize;
    expect(binding.granted).toBeGreaterThanOrEqual(binding.default);
  });

  it('reuses one device across requests', async () => {
    const session = new GpuSession(() => dawn);
    const a = await session.context();
    const b = await session.context();
    expect(a.device).toBe(b.device);
  });

  it('tells listeners when the device is lost and gives the next request a fresh device', async () => {
    const session = new GpuSession(() => dawn);
    const first = await session.context();
    const events: DeviceLostEvent[] = [];
    session.onDeviceLost((e) => events.push(e));
    await session.loseDevice();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ reason: 'destroyed', deviceNumber: 1 });
    const second = await session.context();
    expect(second.device).not.toBe(first.device);
    const status = await session.status();
    expect(status).toMatchObject({ state: 'ready', deviceNumber: 2 });
  });

  it('says "no-webgpu" when the browser has no navigator.gpu', async () => {
    const status = await new GpuSession(() => undefined).status();
    expect(status).toMatchObject({ state: 'unavailable', kind: 'no-webgpu' });
  });

  it('says "no-adapter" when the browser offers no adapter, and tries again on the next request', async () => {
    let offer = false;
    const gpu = { requestAdapter: async () => (offer ? dawn.requestAdapter() : null) } as unknown as GPU;
    const session = new GpuSession(() => gpu);
    expect(await session.status()).toMatchObject({ state: 'unavailable', kind: 'no-adapter' });
    offer = true;
    expect(await session.status()).toMatchObject({ state: 'ready' });
  });

  it('says "device-refused" when the adapter will not create a device', async () => {
    const adapter = await dawn.requestAdapter();
    const refusing = new Proxy(adapter!, {
      get(target, prop) {
        if (prop === 'requestDevice') return async () => { throw new Error('out of memory'); };
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const gpu = { requestAdapter: async () => refusing } as unknown as GPU;
    const status = await new GpuSession(() => gpu).status();
    expect(status).toMatchObject({ state: 'unavailable', kind: 'device-refused' });
    if (status.state === 'unavailable') expect(status.message).toContain('out of memory');
  });
});
