"""Ground truth through a VAE (encode, decode), for either family: what a VAE lets any DiT trained on
its latents reach at best. Used by vae_ceiling.py (the ceiling table) and eval.py (the same rows
beside a model's scores).
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from . import scorer, world
from .vae import frames_to_video, psnr, video_to_frames
from .video_vae import VideoVAE


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
