"""Held-out flow-matching loss of a DiT checkpoint: a less noisy judge than the suite for short runs.

  /usr/bin/python3 models/val_loss.py --ckpt models/runs/abl_pooled/last.pt [--ckpt ...] [--batches 24]

The same unseen scenes (fresh seeds; --split heldout: only compositions never trained), noise and
noise levels for every checkpoint (all seeded), so runs on the same VAE meet identical inputs. Reports the loss with the
caption (or, for a scene model, the scene's tokens), with the empty one, and their gap: how much the
condition helps the model predict the video (0 = it is ignored), in total, on object cells (where
colour and shape live), and per noise level: the gap at t = 0.9 and 0.95 is where the sampler's first
steps decide layout and colour. --fixed-scenes N measures on the scenes a memorisation run trained on.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kinora import captions                                              # noqa: E402
from kinora.data import LatentLayout, Recipe, encode_dit_batch, render_dit_batch  # noqa: E402
from kinora.generator import load_generator                              # noqa: E402
from kinora.video_vae import load_vae                                     # noqa: E402

T_LEVELS = [0.2, 0.5, 0.8, 0.9, 0.95]


def fixed_batches(vae, n: int, patch: int, split: str, condition: str = "text", fixed_scenes: int = 0) -> list:
    """n encoded batches of scenes no run trained on (fixed seeds), with their captions or scene ids
    (or, with fixed_scenes, of the scenes 1..fixed_scenes a memorisation run trained on)."""
    tok = captions.Tokenizer()
    layout = LatentLayout.of(vae)
    recipe = Recipe(condition=condition, fixed_seeds=tuple(range(1, fixed_scenes + 1)))
    return [encode_dit_batch(vae, render_dit_batch(np.random.default_rng([4242, i]), layout, tok, 1024, 8, 0.0,
                                                                patch, split=split, recipe=recipe), "cpu")
            for i in range(n)]


@torch.no_grad()
def losses(gen, batches: list) -> dict:
    cond_err, uncond_err, cond_obj, uncond_obj = [], [], [], []
    gap_at = {level: [] for level in T_LEVELS}
    for i, (z, ids, _, cells) in enumerate(batches):
        b, _, t_frames = z.shape[:3]
        g = torch.Generator().manual_seed(1000 + i)
        for level in T_LEVELS:
            noise = torch.randn(z.shape, generator=g)
            t = torch.full((b, t_frames), level)
            x_t = (1 - level) * z + level * noise
            target = noise - z
            for ids_used, errs, objs in ((ids, cond_err, cond_obj), (torch.zeros_like(ids), uncond_err, uncond_obj)):
                err = (gen(x_t, t, ids_used) - target).pow(2).mean(dim=1)           # [B, t, h, w]
                errs.append(err.mean().item())
                weight = cells.float()
                objs.append(((err * weight).sum() / weight.sum().clamp(min=1)).item())
            gap_at[level].append(uncond_err[-1] - cond_err[-1])
    c, u, co, uo = (float(np.mean(v)) for v in (cond_err, uncond_err, cond_obj, uncond_obj))
    return {"loss": c, "loss_empty_caption": u, "text_gap": u - c, "object_loss": co, "object_loss_empty_caption": uo,
            "object_text_gap": uo - co, "text_gap_at": {f"{k:g}": float(np.mean(v)) for k, v in gap_at.items()}}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ckpt", action="append", required=True)
    p.add_argument("--batches", type=int, default=24)
    p.add_argument("--vae", help="default: the first checkpoint's VAE (all must share it)")
    p.add_argument("--split", choices=["train", "heldout"], default="train")
    p.add_argument("--fixed-scenes", type=int, default=0, help="measure on the scenes of seeds 1..N (a memorisation run's)")
    p.add_argument("--out")
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    first, ck = load_generator(args.ckpt[0])
    vae, _ = load_vae(args.vae or ck["vae"])
    batches = fixed_batches(vae, args.batches, first.cfg.patch, args.split, first.cfg.condition, args.fixed_scenes)
    report = {}
    for path in args.ckpt:
        gen, ck = load_generator(path)
        if gen.cfg.condition != first.cfg.condition:       # the same clips, read as captions or as scenes
            batches = fixed_batches(vae, args.batches, gen.cfg.patch, args.split, gen.cfg.condition, args.fixed_scenes)
        report[path] = dict(losses(gen, batches), steps=ck["step"], clips=ck["samples"])
        print(path, json.dumps(report[path]), flush=True)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
