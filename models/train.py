"""Training: the per-frame VAE first (stage `vae`), then the text encoder + DiT with flow matching
(stage `dit`) on latents of the frozen VAE. Data is rendered on the fly by kinora.world.

The same script runs on a CPU, one GPU, or many GPUs (torchrun starts one process per GPU; each
renders its own data from its own seeds, gradients are averaged by DistributedDataParallel):

  /usr/bin/python3 models/train.py --stage vae --run models/runs/vae --minutes 10 --threads 1
  /usr/bin/python3 models/train.py --stage dit --config small --vae models/runs/vae/last.pt --run models/runs/small --minutes 60
  torchrun --nproc_per_node 8 models/train.py --stage dit --config base --vae ... --run ... --device cuda

A run folder holds log.csv (one line per logged step), args.json and last.pt (everything needed to
resume: model, EMA, optimiser, step, samples seen, elapsed time). Running the same command again
resumes from last.pt.
"""
from __future__ import annotations

import argparse
import functools
import json
import math
import os
import sys
import time
from dataclasses import dataclass

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kinora import captions, checkpoint, world                           # noqa: E402
from kinora.vae import VAE, VAEConfig, VAE_S, VAE_S8, VAE_T, video_to_frames     # noqa: E402
from kinora.video_vae import VIDEO_VAE_CONFIGS, VideoVAE, VideoVAEConfig, load_vae as load_any_vae     # noqa: E402

VAE_CONFIGS = {"vae_s8": VAE_S8, "vae_s": VAE_S, "vae_t": VAE_T}

# Frame counts (1 = a still image) and their probabilities; the token budget sets the batch size.
FRAME_CHOICES = [1, 2, 4, 6, 8, 12, 16]
FRAME_PROBS = [0.1, 0.05, 0.1, 0.1, 0.2, 0.15, 0.3]
ASPECT_PROBS = {"1:1": 0.5, "16:9": 0.25, "9:16": 0.25}
# v2: latent frames per clip (1 = an image; 5 = 17 frames, 2 s at 8 fps) and their probabilities.
V2_LATENT_FRAME_CHOICES = [1, 2, 3, 4, 5]
V2_LATENT_FRAME_PROBS = [0.1, 0.1, 0.2, 0.2, 0.4]
COND_MODES = ["none", "first", "first_k", "last_k", "first_last"]
COND_PROBS = [0.5, 0.2, 0.1, 0.1, 0.1]


# ----------------------------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------------------------

def vae_batch(rng: np.random.Generator, n_frames: int) -> torch.Tensor:
    """[n_frames, 3, H, W] frames in [-1, 1] from random training scenes (4 frames per clip, one aspect)."""
    aspect = str(rng.choice(list(ASPECT_PROBS), p=list(ASPECT_PROBS.values())))
    w, h = world.ASPECTS[aspect]
    frames = []
    while len(frames) < n_frames:
        scene = world.sample_scene(int(rng.integers(2**62)), split="train")
        video, _ = world.render(scene, w, h, 16)
        frames.extend(video[rng.choice(16, size=4, replace=False)])
    return video_to_frames(np.stack(frames[:n_frames]))


def video_vae_batch(rng: np.random.Generator, n_frames: int, cfg: VideoVAEConfig, fg_weight: float):
    """Clips of 1 + f*k frames (k = 0, 1, 2; one length and aspect per batch) for the video VAE:
    encoder input [B, T, 3, H, W] (the 2x-larger render averaged down: the same coverage-based
    anti-aliasing as a render at that size), decoder target [B, T, 3, H*up, W*up], and per-pixel
    loss weights [B, T, 1, H*up, W*up] (1 + fg_weight on objects and a margin around them)."""
    aspect = str(rng.choice(list(ASPECT_PROBS), p=list(ASPECT_PROBS.values())))
    w, h = world.ASPECTS[aspect]
    up = cfg.upsample
    frames = 1 + cfg.time_factor * int(rng.choice([0, 1, 2], p=[0.2, 0.4, 0.4])) if cfg.time_factor > 1 else 9
    b = max(1, n_frames // frames)
    targets, weights = [], []
    gy, gx = np.mgrid[0:h * up, 0:w * up].astype(np.float32) + 0.5
    for _ in range(b):
        scene = world.sample_scene(int(rng.integers(2**62)), split="train")
        start = int(rng.integers(0, 16))
        video, truth = world.render(scene, w * up, h * up, frames, start_frame=start)
        weight = np.ones((frames, h * up, w * up), np.float32)
        for obj in truth["objects"]:
            for f in range(frames):
                near = np.hypot(gx - obj["x"][f], gy - obj["y"][f]) < obj["r"][f] * 1.3 + 2 * up
                weight[f][near] += fg_weight
        targets.append(video)
        weights.append(weight)
    target = video_to_frames(np.stack(targets))                            # [B, T, 3, H*up, W*up]
    x = F.avg_pool2d(target.flatten(0, 1), up).view(b, frames, 3, h, w) if up > 1 else target
    return x, target, torch.from_numpy(np.stack(weights))[:, :, None]


def condition_mask(rng: np.random.Generator, t_frames: int) -> np.ndarray:
    """bool [T]: True where the frame is given clean as a condition."""
    mask = np.zeros(t_frames, bool)
    if t_frames < 2:
        return mask
    mode = str(rng.choice(COND_MODES, p=COND_PROBS))
    k = int(rng.integers(1, t_frames))
    if mode == "first":
        mask[0] = True
    elif mode == "first_k":
        mask[:k] = True
    elif mode == "last_k":
        mask[-k:] = True
    elif mode == "first_last":
        mask[0] = mask[-1] = True
    return mask


def object_cells(truth: dict, t_frames: int, h_lat: int, w_lat: int, cell: int = 8) -> np.ndarray:
    """float [T, h, w]: 1 on the latent cells an object covers (its radius plus half a cell), else 0.

    Objects are a few percent of the pixels; a plain MSE is dominated by the background, which the
    model learns first and the objects last. The loss weights these cells up (--fg-weight).
    """
    cy, cx = np.mgrid[0:h_lat, 0:w_lat].astype(np.float32) * cell + cell / 2     # cell centres, pixels
    out = np.zeros((t_frames, h_lat, w_lat), np.float32)
    for obj in truth["objects"]:
        for f in range(t_frames):
            if obj["visible"][f] < 0.05:
                continue
            near = np.hypot(cx - obj["x"][f], cy - obj["y"][f]) < obj["r"][f] * 1.2 + cell / 2
            out[f][near] = 1.0
    return out


@dataclass(frozen=True)
class LatentLayout:
    """How a VAE maps frames to latents, for rendering batches without the VAE (in data workers)."""
    video: bool              # v2's VideoVAE (frames first, causal in time) or v1's per-frame VAE
    space_factor: int
    time_factor: int

    @staticmethod
    def of(vae) -> "LatentLayout":
        if isinstance(vae, VideoVAE):
            return LatentLayout(True, vae.cfg.space_factor, vae.cfg.time_factor)
        return LatentLayout(False, 8, 1)


def render_dit_batch(rng, layout: LatentLayout, tok, batch_tokens: int, max_batch: int, caption_dropout: float,
                     patch: int = 2, split: str = "train") -> dict:
    """The CPU half of a DiT batch, one shape: videos uint8 [B, T, H, W, 3], text ids [B, L],
    condition mask [B, t] and object cells [B, t, h, w] (see object_cells). v1 (per-frame VAE):
    t = T frames. v2 (VideoVAE): a clip of 1 + f*(t-1) frames codes to t latent frames, and the
    masks are over latent frames."""
    aspect = str(rng.choice(list(ASPECT_PROBS), p=list(ASPECT_PROBS.values())))
    w, h = world.ASPECTS[aspect]
    cell, tf = layout.space_factor, layout.time_factor
    if layout.video:
        t_lat = int(rng.choice(V2_LATENT_FRAME_CHOICES, p=V2_LATENT_FRAME_PROBS))
        t_frames = 1 + tf * (t_lat - 1)
    else:
        t_frames = t_lat = int(rng.choice(FRAME_CHOICES, p=FRAME_PROBS))
    h_lat, w_lat = h // cell, w // cell
    tokens = t_lat * (h_lat // patch) * (w_lat // patch)
    b = int(max(1, min(max_batch, batch_tokens // tokens)))
    videos, texts, masks, cells = [], [], [], []
    for _ in range(b):
        scene = world.sample_scene(int(rng.integers(2**62)), split=split)
        video, truth = world.render(scene, w, h, t_frames, start_frame=int(rng.integers(0, 8)) if layout.video else 0)
        videos.append(video)
        cells.append(latent_frame_cells(object_cells(truth, t_frames, h_lat, w_lat, cell), tf))
        texts.append("" if rng.random() < caption_dropout else captions.caption(scene, rng))
        masks.append(condition_mask(rng, t_lat))
    return {"videos": np.stack(videos), "ids": tok.batch(texts), "cond": np.stack(masks), "cells": np.stack(cells)}


def encode_dit_batch(vae, batch: dict, device):
    """The device half: latents [B, C, t, h, w] of the rendered videos, and the rest as tensors."""
    x = video_to_frames(np.asarray(batch["videos"])).to(device)             # [B, T, 3, H, W]
    b, t_frames = x.shape[:2]
    with torch.no_grad():
        if isinstance(vae, VideoVAE):
            z = vae.encode(x).permute(0, 2, 1, 3, 4).contiguous()          # [B, C, t, h, w]
        else:
            z = vae.encode(x.flatten(0, 1))                               # [B*T, C, h, w]
            z = z.view(b, t_frames, *z.shape[1:]).permute(0, 2, 1, 3, 4).contiguous()   # [B, C, T, h, w]
    as_tensor = lambda a: torch.as_tensor(np.asarray(a)).to(device)
    return z, as_tensor(batch["ids"]), as_tensor(batch["cond"]), as_tensor(batch["cells"])


def dit_batch(rng, vae, tok, batch_tokens: int, max_batch: int, caption_dropout: float, device, patch: int = 2):
    """One batch, rendered and encoded here: latents [B, C, t, h, w], ids [B, L], cond [B, t], cells [B, t, h, w]."""
    raw = render_dit_batch(rng, LatentLayout.of(vae), tok, batch_tokens, max_batch, caption_dropout, patch)
    return encode_dit_batch(vae, raw, device)


class RenderedBatches(torch.utils.data.IterableDataset):
    """Endless batches from make(rng), each worker with its own seeds: with --workers N, rendering
    runs in N processes beside the training loop (what feeds a GPU; a 2-core CPU run keeps N = 0)."""

    def __init__(self, make, seed: list):
        self.make, self.seed = make, seed

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        worker, k = (info.id if info else 0), 0
        while True:
            yield self.make(np.random.default_rng([*self.seed, worker, k]))
            k += 1


def batch_stream(make, args, rank: int, step: int):
    """Batches from make(rng): in this process (args.workers == 0, deterministic in the step, as
    before) or from args.workers data workers."""
    if not args.workers:
        while True:
            yield make(np.random.default_rng([args.seed, rank, step]))
            step += 1
    loader = torch.utils.data.DataLoader(RenderedBatches(make, [args.seed, rank, step]), batch_size=None,
                                         num_workers=args.workers, prefetch_factor=4, persistent_workers=True)
    yield from loader


def latent_frame_cells(cells: np.ndarray, time_factor: int) -> np.ndarray:
    """Per-frame object cells [T, h, w] -> per latent frame [t, h, w]: latent frame 0 is frame 0,
    latent frame j >= 1 covers frames f*(j-1)+1 .. f*j (a cell counts if an object is there in any)."""
    if time_factor == 1:
        return cells
    groups = [cells[:1]] + [cells[1 + time_factor * j: 1 + time_factor * (j + 1)] for j in range((len(cells) - 1) // time_factor)]
    return np.stack([g.max(axis=0) for g in groups])


def flow_matching_loss(model, z, ids, cond, rng_t: torch.Generator, fg=None, fg_weight: float = 0.0):
    """x_t = (1 - t) x0 + t noise per frame; target v = noise - x0; conditioned frames have t = 0.

    t per sample is logit-normal (as in SD3) 3 times in 4 and uniform otherwise (so that the sampler's
    first steps near t = 1 are trained too), shared by all its generated frames.
    With fg [B, T, h, w] (object cells) and fg_weight > 0, each frame's error is a weighted mean over
    its cells with weight 1 + fg_weight on object cells.
    """
    b, _, t_frames = z.shape[:3]
    logit_normal = torch.sigmoid(torch.randn(b, 1, generator=rng_t))
    uniform = torch.rand(b, 1, generator=rng_t)
    pick = torch.rand(b, 1, generator=rng_t) < 0.25
    t = torch.where(pick, uniform, logit_normal).to(z.device).expand(b, t_frames)            # [B, T]
    t = torch.where(cond, torch.zeros_like(t), t)
    noise = torch.randn(z.shape, generator=rng_t).to(z.device)                          # [B, C, T, h, w]
    tt = t[:, None, :, None, None]
    x_t = (1 - tt) * z + tt * noise
    v = model(x_t, t, ids)                                                              # [B, C, T, h, w]
    err = (v - (noise - z)).pow(2).mean(dim=1)                                          # [B, T, h, w]
    if fg is not None and fg_weight > 0:
        weight = 1.0 + fg_weight * fg
        err = (err * weight).sum(dim=(2, 3)) / weight.sum(dim=(2, 3))                    # [B, T]
    else:
        err = err.mean(dim=(2, 3))                                                       # [B, T]
    keep = (~cond).float()
    return (err * keep).sum() / keep.sum().clamp(min=1.0)


# ----------------------------------------------------------------------------------------------
# Plumbing: devices, DDP, checkpoints, logs
# ----------------------------------------------------------------------------------------------

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


SHARD_BYTES = None       # set from --shard-mib: checkpoints larger than this are written in parts


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


def edge_loss(vae, x, weight: float):
    """The VAE loss plus an L1 loss on horizontal and vertical differences (sharper edges)."""
    vae = vae.module if hasattr(vae, "module") else vae
    mean, logvar = vae.encoder(x)
    rec = vae.decoder(mean + torch.randn_like(mean) * torch.exp(0.5 * logvar))
    mse = F.mse_loss(rec, x)
    kl = 0.5 * (mean.pow(2) + logvar.exp() - 1 - logvar).mean()
    dx = lambda a: a[..., :, 1:] - a[..., :, :-1]
    dy = lambda a: a[..., 1:, :] - a[..., :-1, :]
    edges = (dx(rec) - dx(x)).abs().mean() + (dy(rec) - dy(x)).abs().mean()
    return mse + 0.5 * (rec - x).abs().mean() + vae.cfg.kl_weight * kl + weight * edges, mse, kl


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


def load_vae(path: str, device):
    """The frozen VAE a DiT trains on: v1's per-frame VAE or v2's VideoVAE."""
    return load_any_vae(path, device)[0]


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


# ----------------------------------------------------------------------------------------------
# Stages
# ----------------------------------------------------------------------------------------------

def train_vae(args, rank, world_size, device):
    cfg = VAE_CONFIGS[args.vae_config]()
    if args.decoder_only:
        # Sharpen the decoder of a VAE a DiT was trained with: the encoder and the latent
        # normalisation stay fixed, so the latent space (and the DiT) stay valid.
        init = checkpoint.load(args.vae)
        cfg = VAEConfig(**init["config"])
    vae = VAE(cfg).to(device)
    if args.decoder_only:
        vae.load_state_dict(init["model"])
        vae.encoder.requires_grad_(False)
    opt = torch.optim.AdamW([p for p in vae.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.0)
    ckpt_path = os.path.join(args.run, "last.pt")
    step, seen, elapsed = 0, 0, 0.0
    if checkpoint.exists(ckpt_path):
        ck = checkpoint.load(ckpt_path)
        vae.load_state_dict(ck["model"])
        if "opt" in ck:                               # slim checkpoints (models/checkpoints/) have none
            opt.load_state_dict(ck["opt"])
        step, seen, elapsed = ck["step"], ck["samples"], ck["elapsed"]
        print(f"resumed {ckpt_path} at step {step}", flush=True)
    model = torch.nn.parallel.DistributedDataParallel(vae) if world_size > 1 else vae
    log = CsvLog(os.path.join(args.run, "log.csv"), ["step", "samples", "seconds", "loss", "mse", "psnr_db", "kl", "lr"], rank == 0)
    t0 = time.time() - elapsed
    while step < args.steps and (time.time() - t0) < args.minutes * 60:
        rng = np.random.default_rng([args.seed, rank, step])
        x = vae_batch(rng, args.batch).to(device)
        lr = learning_rate(args, step, time.time() - t0)
        for g in opt.param_groups:
            g["lr"] = lr
        loss, mse, kl = model(x) if not args.edge_weight else edge_loss(model, x, args.edge_weight)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
        seen += x.shape[0] * world_size
        if step % args.log_every == 0 and rank == 0:
            mse_pix = mse.item() * (127.5 ** 2)
            log.write(step=step, samples=seen, seconds=round(time.time() - t0, 1), loss=loss.item(), mse=mse.item(),
                      psnr_db=10 * math.log10(255 ** 2 / max(mse_pix, 1e-10)), kl=kl.item(), lr=lr)
            print(f"vae step {step} frames {seen} loss {loss.item():.4f} {seen / (time.time() - t0):.1f} frames/s", flush=True)
        if rank == 0 and (step % args.ckpt_every == 0):
            save(ckpt_path, {"model": vae.state_dict(), "opt": opt.state_dict(), "step": step, "samples": seen,
                             "elapsed": time.time() - t0, "config": cfg.__dict__})
    if rank == 0:
        vae.eval()
        if not args.decoder_only:
            vae.fit_latent_norm(vae_batch(np.random.default_rng([args.seed, 999]), 512).to(device))
        save(ckpt_path, {"model": vae.state_dict(), "opt": opt.state_dict(), "step": step, "samples": seen,
                         "elapsed": time.time() - t0, "config": cfg.__dict__})
        print(f"vae done: {step} steps, {seen} frames, latent mean {vae.latent_mean.tolist()} std {vae.latent_std.tolist()}", flush=True)


def train_video_vae(args, rank, world_size, device):
    cfg = VIDEO_VAE_CONFIGS[args.vae_config]()
    vae = VideoVAE(cfg).to(device)
    opt = torch.optim.AdamW(vae.parameters(), lr=args.lr, weight_decay=0.0)
    ckpt_path = os.path.join(args.run, "last.pt")
    step, seen, elapsed = 0, 0, 0.0
    ema = {k: v.detach().clone() for k, v in vae.state_dict().items()}
    if checkpoint.exists(ckpt_path):
        ck = checkpoint.load(ckpt_path)
        vae.load_state_dict(ck["model"])
        ema = float_state(ck.get("ema", ema))
        if "opt" in ck:
            opt.load_state_dict(ck["opt"])
        step, seen, elapsed = ck["step"], ck["samples"], ck["elapsed"]
        print(f"resumed {ckpt_path} at step {step}", flush=True)
    model = torch.nn.parallel.DistributedDataParallel(vae) if world_size > 1 else vae
    if rank == 0:
        print(f"video vae {args.vae_config}: {sum(p.numel() for p in vae.parameters()) / 1e6:.2f}M parameters ({cfg})", flush=True)
    log = CsvLog(os.path.join(args.run, "log.csv"), ["step", "samples", "seconds", "loss", "mse", "psnr_db", "kl", "lr"], rank == 0)
    t0 = time.time() - elapsed
    state = lambda: {"model": vae.state_dict(), "ema": ema, "opt": opt.state_dict(), "step": step, "samples": seen,
                     "elapsed": time.time() - t0, "config": cfg.__dict__, "kind": "video_vae", "config_name": args.vae_config}
    batches = batch_stream(functools.partial(video_vae_batch, n_frames=args.batch, cfg=cfg, fg_weight=args.fg_weight),
                           args, rank, step)
    while step < args.steps and (time.time() - t0) < args.minutes * 60:
        x, target, weight = (a.to(device, non_blocking=True) for a in next(batches))
        lr = learning_rate(args, step, time.time() - t0)
        for g in opt.param_groups:
            g["lr"] = lr
        with autocast(args, device):
            loss, mse, kl = model(x, target, weight, args.edge_weight)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(vae.parameters(), 1.0)
        opt.step()
        update_ema(ema, vae, args.ema if step > args.warmup else 0.0)
        step += 1
        seen += x.shape[0] * x.shape[1] * world_size
        if step % args.log_every == 0 and rank == 0:
            mse_pix = mse.item() * (127.5 ** 2)
            log.write(step=step, samples=seen, seconds=round(time.time() - t0, 1), loss=loss.item(), mse=mse.item(),
                      psnr_db=10 * math.log10(255 ** 2 / max(mse_pix, 1e-10)), kl=kl.item(), lr=lr)
            print(f"video vae step {step} frames {seen} loss {loss.item():.4f} psnr {10 * math.log10(255 ** 2 / max(mse_pix, 1e-10)):.2f} "
                  f"{seen / (time.time() - t0):.1f} frames/s", flush=True)
        if rank == 0 and step % args.ckpt_every == 0:
            save(ckpt_path, state())
    if rank == 0:
        # Latent statistics for the raw weights and for the EMA weights (what is evaluated and
        # exported), each fitted with its own encoder. The raw weights stay in "model": a resumed
        # run continues from them, not from the average.
        x, _, _ = video_vae_batch(np.random.default_rng([args.seed, 999]), 256, cfg, 0.0)
        vae.eval()
        vae.fit_latent_norm(x.to(device))
        averaged = VideoVAE(cfg).to(device).eval()
        averaged.load_state_dict(ema)
        averaged.fit_latent_norm(x.to(device))
        ema = {k: v.detach().clone() for k, v in averaged.state_dict().items()}
        save(ckpt_path, state())
        print(f"video vae done: {step} steps, {seen} frames, latent std (EMA) {averaged.latent_std.tolist()}", flush=True)


def train_dit(args, rank, world_size, device):
    from kinora.generator import Generator, CONFIGS
    vae = load_vae(args.vae, device)
    tok = captions.Tokenizer()
    cfg = CONFIGS[args.config](vocab_size=len(tok), latent_channels=vae.cfg.latent_channels)
    if args.patch:
        cfg.patch = args.patch
    if args.pooled_text is not None:
        cfg.pooled_text = bool(args.pooled_text)
    gen = Generator(cfg).to(device)
    ema = {k: v.detach().clone() for k, v in gen.state_dict().items()}
    opt = torch.optim.AdamW(gen.parameters(), lr=args.lr, weight_decay=0.0, betas=(0.9, 0.99))
    ckpt_path = os.path.join(args.run, "last.pt")
    step, seen, elapsed, warm_from = 0, 0, 0.0, 0
    if checkpoint.exists(ckpt_path):
        ck = checkpoint.load(ckpt_path)
        gen.load_state_dict(ck["model"])
        ema = float_state(ck["ema"])
        step, seen, elapsed = ck["step"], ck["samples"], ck["elapsed"]
        if "opt" in ck:
            opt.load_state_dict(ck["opt"])
            warm_from = ck.get("warm_from", 0)
        else:
            warm_from = step
        print(f"resumed {ckpt_path} at step {step}", flush=True)
    model = torch.nn.parallel.DistributedDataParallel(gen) if world_size > 1 else gen
    n_params = sum(p.numel() for p in gen.parameters())
    if rank == 0:
        print(f"config {args.config}: {n_params / 1e6:.2f}M parameters ({cfg})", flush=True)
    log = CsvLog(os.path.join(args.run, "log.csv"), ["step", "samples", "seconds", "loss", "loss_ema", "lr", "samples_per_s"], rank == 0)
    t0 = time.time() - elapsed
    loss_ema = None
    t_last, seen_last = time.time(), seen
    gen_t = torch.Generator().manual_seed(args.seed * 1000003 + rank * 7919 + step)
    batches = batch_stream(functools.partial(render_dit_batch, layout=LatentLayout.of(vae), tok=tok, batch_tokens=args.batch_tokens,
                                             max_batch=args.batch, caption_dropout=args.caption_dropout, patch=cfg.patch),
                           args, rank, step)
    while step < args.steps and (time.time() - t0) < args.minutes * 60:
        z, ids, cond, fg = encode_dit_batch(vae, next(batches), device)
        lr = learning_rate(args, step, time.time() - t0, warm_from)
        for g in opt.param_groups:
            g["lr"] = lr
        with autocast(args, device):
            loss = flow_matching_loss(model, z, ids, cond, gen_t, fg, args.fg_weight)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(gen.parameters(), 1.0)
        opt.step()
        update_ema(ema, gen, args.ema if step > args.warmup else 0.0)
        step += 1
        seen += z.shape[0] * world_size
        loss_ema = loss.item() if loss_ema is None else 0.98 * loss_ema + 0.02 * loss.item()
        if step % args.log_every == 0 and rank == 0:
            rate = (seen - seen_last) / max(time.time() - t_last, 1e-6)
            t_last, seen_last = time.time(), seen
            log.write(step=step, samples=seen, seconds=round(time.time() - t0, 1), loss=loss.item(), loss_ema=loss_ema,
                      lr=lr, samples_per_s=rate)
            print(f"dit step {step} samples {seen} loss {loss.item():.4f} (avg {loss_ema:.4f}) {rate:.2f} samples/s", flush=True)
        if rank == 0 and step % args.ckpt_every == 0:
            save(ckpt_path, dit_state(gen, ema, opt, step, seen, t0, args, cfg, warm_from))
    if rank == 0:
        save(ckpt_path, dit_state(gen, ema, opt, step, seen, t0, args, cfg, warm_from))
        print(f"dit done: {step} steps, {seen} samples, {time.time() - t0:.0f} s", flush=True)
    return gen


def dit_state(gen, ema, opt, step, seen, t0, args, cfg, warm_from=0):
    return {"model": gen.state_dict(), "ema": ema, "opt": opt.state_dict(), "step": step, "samples": seen,
            "warm_from": warm_from,
            "elapsed": time.time() - t0, "config": cfg.__dict__, "config_name": args.config, "vae": args.vae,
            "args": vars(args)}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--stage", choices=["vae", "video_vae", "dit"], required=True)
    p.add_argument("--run", required=True, help="run folder: log.csv, last.pt (resumed when present)")
    p.add_argument("--config", default="tiny", help="DiT config: tiny, small, base")
    p.add_argument("--vae-config", default=None, help=f"stage vae: {list(VAE_CONFIGS)}; stage video_vae: {list(VIDEO_VAE_CONFIGS)}")
    p.add_argument("--vae", help="VAE checkpoint (stage dit; stage vae with --decoder-only: the one to start from)")
    p.add_argument("--decoder-only", action="store_true", help="stage vae: fine-tune only the decoder of --vae")
    p.add_argument("--edge-weight", type=float, default=0.0, help="stage vae: weight of an L1 loss on image gradients")
    p.add_argument("--steps", type=int, default=10**9)
    p.add_argument("--minutes", type=float, default=10**6, help="stop after this much training time (resumes count)")
    p.add_argument("--batch", type=int, default=32, help="frames per step (vae) / max clips per step (dit)")
    p.add_argument("--batch-tokens", type=int, default=1024, help="DiT tokens per step; sets the clips per step")
    p.add_argument("--lr", type=float, default=None)
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--cosine", action="store_true", help="decay the learning rate over the --minutes budget")
    p.add_argument("--ema", type=float, default=0.999)
    p.add_argument("--caption-dropout", type=float, default=0.1)
    p.add_argument("--fg-weight", type=float, default=0.0,
                   help="stage dit: extra loss weight on latent cells covered by objects (object_cells)")
    p.add_argument("--patch", type=int, help="stage dit: the DiT's patch side (default: the config's)")
    p.add_argument("--pooled-text", type=int, choices=[0, 1], default=None,
                   help="stage dit: 1 adds the pooled caption to adaLN's conditioning (default: the config's)")
    p.add_argument("--workers", type=int, default=0, help="data-rendering processes (0: render in the training loop)")
    p.add_argument("--bf16", action="store_true", help="CUDA: bf16 autocast")
    p.add_argument("--shard-mib", type=float, help="write checkpoints larger than this many MiB in parts (.000, .001, ...)")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--log-every", type=int, default=10)
    p.add_argument("--ckpt-every", type=int, default=200)
    args = p.parse_args(argv)
    if args.lr is None:
        args.lr = {"vae": 2e-3, "video_vae": 1e-3}.get(args.stage, 5e-4)
    if args.vae_config is None:
        args.vae_config = "t4s4" if args.stage == "video_vae" else "vae_s"
    return args


def main(argv=None):
    global SHARD_BYTES
    args = parse_args(argv)
    SHARD_BYTES = int(args.shard_mib * 2**20) if args.shard_mib else None
    rank, world_size, device = setup(args)
    os.makedirs(args.run, exist_ok=True)
    if rank == 0:
        with open(os.path.join(args.run, "args.json"), "w") as f:
            json.dump(vars(args), f, indent=1)
    if args.stage == "vae":
        train_vae(args, rank, world_size, device)
    elif args.stage == "video_vae":
        train_video_vae(args, rank, world_size, device)
    else:
        train_dit(args, rank, world_size, device)
    if world_size > 1:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
