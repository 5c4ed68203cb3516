"""Training plumbing shared by train.py, distill.py and gpu_train.py: the flow-matching loss, DDP
setup, checkpoint saving (in parts when asked), the CSV log, the learning-rate schedule, bf16
autocast and the EMA of weights.
"""
from __future__ import annotations

import math
import os
import time

import torch
import torch.distributed as dist

from . import checkpoint

def flow_matching_loss(model, z, ids, cond, rng_t: torch.Generator, fg=None, fg_weight: float = 0.0,
                       t_shift: float = 1.0):
    """x_t = (1 - t) x0 + t noise per frame; target v = noise - x0; conditioned frames have t = 0.

    t per sample is logit-normal (as in SD3) 3 times in 4 and uniform otherwise (so that the sampler's
    first steps near t = 1 are trained too), shared by all its generated frames.
    With fg [B, T, h, w] (object cells) and fg_weight > 0, each frame's error is a weighted mean over
    its cells with weight 1 + fg_weight on object cells.
    t_shift > 1 moves the noise levels towards t = 1 by the sampler's own map t -> s t / (1 + (s - 1) t)
    (v3: shift 3 puts about a fifth of training above t = 0.875, where layout and colour are decided).
    """
    b, _, t_frames = z.shape[:3]
    logit_normal = torch.sigmoid(torch.randn(b, 1, generator=rng_t))
    uniform = torch.rand(b, 1, generator=rng_t)
    pick = torch.rand(b, 1, generator=rng_t) < 0.25
    t = torch.where(pick, uniform, logit_normal)
    t = (t_shift * t / (1 + (t_shift - 1) * t)).to(z.device).expand(b, t_frames)              # [B, T]
    t = torch.where(cond, torch.zeros_like(t), t)
    noise = torch.randn(z.shape, generator=rng_t).to(z.device)                          # [B, C, T, h, w]
    tt = t[:, None, :, None, None]
    x_t = (1 - tt) * z + tt * noise
    v = model(x_t, t, ids)                                                              # [B, C, T, h, w]
    return generated_frames_error((v - (noise - z)).pow(2).mean(dim=1), cond, fg, fg_weight)


def generated_frames_error(err, cond, fg=None, fg_weight: float = 0.0):
    """The mean of err [B, T, h, w] over the generated frames (cond [B, T] marks given ones, not
    scored): per frame a mean over cells, weighted 1 + fg_weight on object cells fg [B, T, h, w]."""
    if fg is not None and fg_weight > 0:
        weight = 1.0 + fg_weight * fg
        err = (err * weight).sum(dim=(2, 3)) / weight.sum(dim=(2, 3))                    # [B, T]
    else:
        err = err.mean(dim=(2, 3))                                                       # [B, T]
    keep = (~cond).float()
    return (err * keep).sum() / keep.sum().clamp(min=1.0)


def optimise(opt, loss, module: torch.nn.Module, lr: float, ema: dict, ema_decay: float, clip: float = 1.0) -> None:
    """One update at learning rate lr: gradients of loss, clipped to norm `clip`, a step, then the EMA."""
    for group in opt.param_groups:
        group["lr"] = lr
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(module.parameters(), clip)
    opt.step()
    update_ema(ema, module, ema_decay)


def setup(args):
    torch.set_num_threads(args.threads)
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    device = torch.device(args.device)
    if world_size > 1:
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
        if device.type == "cuda":
            device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
            torch.cuda.set_device(device)
    return rank, world_size, device


SHARD_BYTES = None       # set from --shard-mib (train.main): checkpoints larger than this are written in parts


def save(path: str, state: dict):
    checkpoint.save(path, state, SHARD_BYTES)


class CsvLog:
    def __init__(self, path: str, fields: list, enabled: bool):
        self.path, self.fields, self.enabled = path, fields, enabled
        if enabled and not os.path.exists(path):
            with open(path, "w") as f:
                f.write(",".join(fields) + "\n")

    def write(self, **row):
        if self.enabled:
            with open(self.path, "a") as f:
                f.write(",".join(f"{row[k]:.6g}" if isinstance(row[k], float) else str(row[k]) for k in self.fields) + "\n")


def autocast(args, device):
    """bf16 autocast on CUDA with --bf16 (weights, optimiser and losses stay float32); a no-op otherwise."""
    return torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=bool(args.bf16) and device.type == "cuda")


def learning_rate(args, step: int, seconds: float, warm_from: int = 0) -> float:
    """Linear warmup over --warmup steps after warm_from (0, or the step a run resumed at without
    optimiser state: fresh Adam moments need it too); with --cosine, a cosine decay to 5% over the
    --minutes budget."""
    lr = args.lr * min(1.0, (step - warm_from + 1) / args.warmup)
    if args.cosine:
        lr *= max(0.05, 0.5 * (1 + math.cos(math.pi * min(1.0, seconds / (args.minutes * 60)))))
    return lr


def float_state(state: dict) -> dict:
    """A state dict with float32 tensors (committed checkpoints may store fp16: slim_checkpoint --fp16)."""
    return {k: v.float() if v.is_floating_point() else v for k, v in state.items()}


def update_ema(ema: dict, model: torch.nn.Module, decay: float):
    with torch.no_grad():
        for k, v in model.state_dict().items():
            if v.dtype.is_floating_point:
                ema[k].mul_(decay).add_(v.detach(), alpha=1 - decay)
            else:
                ema[k].copy_(v)


def dit_state(gen, ema, opt, step, seen, t0, args, cfg, warm_from=0):
    return {"model": gen.state_dict(), "ema": ema, "opt": opt.state_dict(), "step": step, "samples": seen,
            "warm_from": warm_from,
            "elapsed": time.time() - t0, "config": cfg.__dict__, "config_name": args.config, "vae": args.vae,
            "args": vars(args)}
