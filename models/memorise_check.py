"""The memorisation check (v3 design point 0): can the denoiser draw the scenes it was trained on?

A run trained with `train.py --fixed-scenes N` has seen only the scenes of seeds 1..N (square,
17 frames, from frame 0). This samples each of them from its own scene tokens at several guidance
scales and step counts and scores the videos against the scene (kinora/scorer.py). Beside them it
scores the VAE's reconstruction of the same clips (the ceiling) and reports the mean background
colour error in RGB levels (generated vs rendered, on pixels no object covers), which exposes a
latent-scale mismatch between training, sampling and decoding.

  /usr/bin/python3 models/memorise_check.py --ckpt models/runs/v3_memorise/last.pt --scenes 32 \
      --guidance 1 3 6 --steps 16 32 --grid models/assets/v3-memorise.png --out memorise.json
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eval import generate, save_grid                                      # noqa: E402
from kinora import scorer, world                                          # noqa: E402
from kinora.generator import load_generator                               # noqa: E402
from kinora.reconstruction import reconstruct                             # noqa: E402
from kinora.video_vae import load_vae                                     # noqa: E402

FRAMES = 17          # default; --frames 1 judges stills (colour, shape, count)


def to64(video: np.ndarray) -> np.ndarray:
    """uint8 [T, H, W, 3] at 64 px or an integer multiple of it -> 64 px (area average)."""
    k = video.shape[1] // 64
    if k <= 1:
        return video
    t, h, w, _ = video.shape
    return video.reshape(t, h // k, k, w // k, k, 3).mean(axis=(2, 4)).round().astype(np.uint8)


def background_error(video: np.ndarray, truth_video: np.ndarray, scene: dict) -> float:
    """Mean absolute RGB difference (0-255) over pixels that are background in the rendered truth."""
    frames = len(truth_video)
    _, truth = world.render(scene, truth_video.shape[2], truth_video.shape[1], frames)
    h, w = truth_video.shape[1:3]
    gy, gx = np.mgrid[0:h, 0:w] + 0.5
    free = np.ones((frames, h, w), bool)
    for obj in truth["objects"]:
        for f in range(frames):
            free[f] &= np.hypot(gx - obj["x"][f], gy - obj["y"][f]) > obj["r"][f] * 1.5 + 2
    return float(np.abs(to64(video).astype(float) - truth_video.astype(float))[free].mean())


def summary(scores: list) -> dict:
    return {k: None if v["accuracy"] is None else round(v["accuracy"], 3) for k, v in scorer.summarise(scores).items()}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ckpt", required=True)
    p.add_argument("--scenes", type=int, default=32, help="the seeds 1..N the run was trained on")
    p.add_argument("--first-seed", type=int, default=1, help="judge seeds first..first+N-1 instead (e.g. 50000: unseen scenes)")
    p.add_argument("--frames", type=int, default=FRAMES, help="17 (a 2-s clip) or 1 (a still)")
    p.add_argument("--guidance", type=float, nargs="+", default=[1.0, 3.0, 6.0])
    p.add_argument("--steps", type=int, nargs="+", default=[16])
    p.add_argument("--grid", help="PNG: rows of the first 8 scenes: truth, VAE, then each setting")
    p.add_argument("--out", required=True)
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    gen, ck = load_generator(args.ckpt)
    vae, _ = load_vae(ck["vae"])
    scenes = [world.sample_scene(s, split="train") for s in range(args.first_seed, args.first_seed + args.scenes)]
    truths = [world.render(s, 64, 64, args.frames)[0] for s in scenes]
    report = {"ckpt": args.ckpt, "step": ck["step"], "samples": ck["samples"], "scenes": args.scenes,
              "first_seed": args.first_seed, "frames": args.frames}
    recon = [reconstruct(vae, True, v) for v in truths]
    report["truth"] = summary([scorer.score(v, s) for v, s in zip(truths, scenes)])
    report["vae"] = summary([scorer.score(v, s) for v, s in zip(recon, scenes)])
    report["vae_background_error"] = float(np.mean([background_error(v, t, s) for v, t, s in zip(recon, truths, scenes)]))
    rows = [r for v, rv in zip(truths[:8], recon[:8]) for r in (v, to64(rv))] if args.grid else []
    for steps in args.steps:
        for g in args.guidance:
            videos = [generate(gen, vae, s, steps, g, seed=j, frames=args.frames) for j, s in enumerate(scenes)]
            key = f"steps_{steps}_guidance_{g:g}"
            report[key] = summary([scorer.score(v, s) for v, s in zip(videos, scenes)])
            report[key]["background_error"] = float(np.mean([background_error(v, t, s) for v, t, s in zip(videos, truths, scenes)]))
            print(key, json.dumps(report[key]), flush=True)
            if args.grid:
                rows += [to64(v) for v in videos[:8]]
    with open(args.out, "w") as f:
        json.dump(report, f, indent=1)
    if args.grid:
        save_grid(args.grid, rows)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
