"""The ceiling a VAE sets on every model trained on its latents: the scorer on ground truth passed
through the VAE (encode, decode), on the free-phrasing suite's scenes, beside the scorer on the
renders themselves; plus reconstruction PSNR on random held-out scenes of every aspect.

  /usr/bin/python3 models/vae_ceiling.py --vae models/runs/vvae_t4s4/last.pt [--vae ...] --out ceiling.json

Each --vae is a v2 video VAE (train.py --stage video_vae) or a v1 per-frame VAE (--stage vae).
A video VAE reads 64-px frames and may draw larger ones (its `upsample`): it is scored at its own
output size against the scene, and its PSNR is measured against renders at that size. Prints a
markdown table (the model card's ceiling table).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kinora import free_suite, scorer, world                               # noqa: E402
from kinora.vae import frames_to_video, psnr, video_to_frames              # noqa: E402
from kinora.video_vae import VideoVAE, load_vae                            # noqa: E402

ATTRS = ["colour", "shape", "direction", "physics", "count", "camera", "identity"]


@torch.no_grad()
def reconstruct(vae, is_video: bool, video64: np.ndarray) -> np.ndarray:
    """uint8 [T, H, W, 3] at 64 px -> the VAE's reconstruction (uint8, at its output size)."""
    x = video_to_frames(video64)                                           # [T, 3, H, W]
    if is_video:
        return frames_to_video(vae.decode(vae.encode(x[None]))[0])
    return frames_to_video(vae.decode(vae.encode(x)))


def render_pair(scene: dict, w: int, h: int, frames: int, up: int):
    """The render at up x size (the target) and its 2x-area average at 64 px (the encoder's input),
    as in training (train.video_vae_batch)."""
    big, _ = world.render(scene, w * up, h * up, frames)
    if up == 1:
        return big, big
    small = F.avg_pool2d(video_to_frames(big), up)
    return big, frames_to_video(small)


def vae_upsample(vae) -> int:
    return vae.cfg.upsample if isinstance(vae, VideoVAE) else 1


def reconstruction_verdicts(vae, suite: list, frames: int) -> list:
    """[(group, scorer verdicts)] of each suite scene's ground truth through the VAE."""
    up = vae_upsample(vae)
    return [(group, scorer.score(reconstruct(vae, isinstance(vae, VideoVAE), render_pair(scene, 64, 64, frames, up)[1]), scene))
            for group, scene, _ in suite]


def reconstruction_psnr(vae, frames: int, n_scenes: int = 24) -> float:
    """Mean PSNR (dB) of reconstructions of held-out scenes, every aspect, at the VAE's output size."""
    up, psnrs = vae_upsample(vae), []
    for i in range(n_scenes):
        scene = world.sample_scene(20_000 + i, split="heldout")
        w, h = world.ASPECTS[["1:1", "16:9", "9:16"][i % 3]]
        big, small = render_pair(scene, w, h, frames, up)
        psnrs.append(psnr(reconstruct(vae, isinstance(vae, VideoVAE), small), big))
    return float(np.mean(psnrs))


def ceiling(vae, frames: int = free_suite.FRAMES) -> dict:
    summary = scorer.summarise([r for _, r in reconstruction_verdicts(vae, free_suite.suite(), frames)])
    return {"accuracy": {k: summary[k]["accuracy"] for k in ATTRS}, "n": {k: summary[k]["n"] for k in ATTRS},
            "psnr_db": reconstruction_psnr(vae, frames), "output_px": 64 * vae_upsample(vae)}


def ground_truth(size: int, frames: int = free_suite.FRAMES) -> dict:
    results = [scorer.score(world.render(s, size, size, frames)[0], s) for _, s, _ in free_suite.suite()]
    summary = scorer.summarise(results)
    return {"accuracy": {k: summary[k]["accuracy"] for k in ATTRS}, "n": {k: summary[k]["n"] for k in ATTRS}}


def table(rows: dict) -> str:
    pct = lambda v: "–" if v is None else f"{100 * v:.0f} %"
    lines = ["| setting | " + " | ".join(ATTRS) + " | PSNR |", "|---|" + "---|" * (len(ATTRS) + 1)]
    for name, r in rows.items():
        p = f"{r['psnr_db']:.1f} dB" if "psnr_db" in r else "–"
        lines.append(f"| {name} | " + " | ".join(pct(r["accuracy"][k]) for k in ATTRS) + f" | {p} |")
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--vae", action="append", default=[], help="a VAE checkpoint (repeat to compare)")
    p.add_argument("--name", action="append", default=[], help="a row name per --vae (default: the path)")
    p.add_argument("--out", required=True)
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    t0 = time.time()
    rows = {"ground-truth renders, 64 px": ground_truth(64), "ground-truth renders, 128 px": ground_truth(128)}
    for i, path in enumerate(args.vae):
        rows[args.name[i] if i < len(args.name) else path] = ceiling(load_vae(path)[0])
    with open(args.out, "w") as f:
        json.dump({"rows": rows, "suite_size": len(free_suite.PROMPTS), "frames": free_suite.FRAMES,
                   "seconds": time.time() - t0}, f, indent=1)
    print(table(rows))


if __name__ == "__main__":
    main()
