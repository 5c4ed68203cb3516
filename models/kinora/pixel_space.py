"""Pixel space as a stand-in "VAE": the baseline a latent DiT is held against (v3 design point 0).

A DiT over 64-px frames with 4x4 patches reads 16x16 tokens per frame, each 48 pixel values, and
predicts pixels. If it learns to draw objects where the same DiT over the VideoVAE's latents does
not, at equal minutes, the latent (its scale, its 16 channels, its weak KL) is what holds the DiT
back, not the transformer or the recipe. It has the VideoVAE's interface so that train.py,
val_loss.py and memorise_check.py take it as `--vae pixel`: encode and decode are the identity on
frames in [-1, 1] ([N, T, 3, H, W]), one "latent frame" per frame, no upsampling.
"""
from __future__ import annotations

import torch.nn as nn

from .video_vae import VideoVAE, VideoVAEConfig

PIXEL = "pixel"


class PixelSpace(VideoVAE):
    def __init__(self):
        nn.Module.__init__(self)             # no networks: VideoVAE's layout without its encoder and decoder
        self.cfg = VideoVAEConfig(latent_channels=3, time_factor=1, space_factor=1, upsample=1)

    def encode(self, x):
        return x

    def decode(self, z):
        return z
