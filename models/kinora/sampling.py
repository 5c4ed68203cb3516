"""The flow-matching sampler (Euler on the velocity field), with classifier-free guidance and
frame conditioning. The TypeScript runtime implements exactly this (docs/model-format.md).

Time schedule for n steps: s_i = 1 - i/n (i = 0..n), t_i = shift s_i / (1 + (shift - 1) s_i).
Update: x <- x + (t_{i+1} - t_i) v, where v = v_uncond + g (v_cond - v_uncond) (g = 1: v_cond only).
Frames given as conditions hold their clean latents at every step and are fed with t = 0.
"""
from __future__ import annotations

import torch


def time_schedule(steps: int, shift: float = 1.0) -> torch.Tensor:
    s = torch.linspace(1.0, 0.0, steps + 1)
    return shift * s / (1 + (shift - 1) * s)                           # [steps + 1], 1 -> 0


@torch.no_grad()
def velocity(gen, x, t, ids, guidance: float):
    """Guided velocity. x [B, C, T, h, w], t [B, T], ids [B, L]."""
    if guidance == 1.0:
        return gen(x, t, ids)
    uncond = torch.zeros_like(ids)                                     # the empty caption: all padding
    v = gen(torch.cat([x, x]), torch.cat([t, t]), torch.cat([ids, uncond]))   # [2B, C, T, h, w]
    v_cond, v_uncond = v.chunk(2)
    return v_uncond + guidance * (v_cond - v_uncond)


@torch.no_grad()
def integrate(gen, x, ids, ts, guidance: float, cond_latents, cond_mask, callback=None):
    """Euler steps along the times ts (decreasing) from x; given frames stay clean at t = 0."""
    b, _, frames = x.shape[:3]
    keep = cond_mask[:, None, :, None, None]                           # [B, 1, T, 1, 1]
    x = torch.where(keep, cond_latents, x)
    for i in range(len(ts) - 1):
        t = torch.where(cond_mask, torch.zeros(b, frames), torch.full((b, frames), float(ts[i])))   # [B, T]
        v = velocity(gen, x, t, ids, guidance)
        x = x + (ts[i + 1] - ts[i]) * v
        x = torch.where(keep, cond_latents, x)
        if callback is not None:
            callback(i, x)
    return x


@torch.no_grad()
def sample(gen, ids, noise, steps: int = 16, guidance: float = 3.0, shift: float = 1.0,
           cond_latents=None, cond_mask=None, callback=None):
    """noise [B, C, T, h, w] (the seeded start), ids [B, L]; cond_latents like noise and cond_mask
    [B, T] bool mark clean given frames. Returns latents [B, C, T, h, w] at t = 0."""
    b, _, frames = noise.shape[:3]
    if cond_mask is None:
        cond_mask = torch.zeros(b, frames, dtype=torch.bool)
        cond_latents = torch.zeros_like(noise)
    return integrate(gen, noise, ids, time_schedule(steps, shift), guidance, cond_latents, cond_mask, callback)
