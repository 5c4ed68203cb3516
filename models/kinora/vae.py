"""A small per-frame convolutional VAE: RGB [N, 3, H, W] in [-1, 1]  <->  latents [N, C, H/8, W/8].

Encoder: pixel-unshuffle 2 -> conv -> stride-2 conv -> stride-2 conv -> (mean, logvar).
Decoder: mirror with nearest-neighbour upsampling. Cheap on a CPU (about 35 MFLOP per 64x64 frame
for the encoder) because it runs on every training frame of the DiT.

The DiT never sees raw VAE means: `LatentNorm` maps them to zero mean and unit variance per channel
(statistics measured after VAE training, stored with the weights). The exported ONNX encoder and
decoder include that normalisation, so every latent outside PyTorch is a normalised latent.
"""
from __future__ import annotations

from dataclasses import dataclass, asdict

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class VAEConfig:
    latent_channels: int = 4
    widths: tuple = (32, 64, 96)     # at 1/2, 1/4, 1/8 resolution
    kl_weight: float = 1e-4


def VAE_S8(**kw): return VAEConfig(latent_channels=8, widths=(32, 64, 96), **kw)
def VAE_S(**kw): return VAEConfig(latent_channels=4, widths=(32, 64, 96), **kw)
def VAE_T(**kw): return VAEConfig(latent_channels=4, widths=(16, 32, 48), **kw)


class ResBlock(nn.Module):
    def __init__(self, ch: int):
        super().__init__()
        self.conv1 = nn.Conv2d(ch, ch, 3, padding=1)
        self.conv2 = nn.Conv2d(ch, ch, 3, padding=1)

    def forward(self, x):
        return x + self.conv2(F.silu(self.conv1(F.silu(x))))


class Encoder(nn.Module):
    def __init__(self, cfg: VAEConfig):
        super().__init__()
        w1, w2, w3 = cfg.widths
        self.stem = nn.Conv2d(12, w1, 3, padding=1)
        self.down1 = nn.Conv2d(w1, w2, 3, stride=2, padding=1)
        self.down2 = nn.Conv2d(w2, w3, 3, stride=2, padding=1)
        self.res = ResBlock(w3)
        self.out = nn.Conv2d(w3, 2 * cfg.latent_channels, 1)

    def forward(self, x):                                  # x: [N, 3, H, W]
        x = F.pixel_unshuffle(x, 2)                        # [N, 12, H/2, W/2]
        x = F.silu(self.stem(x))                           # [N, w1, H/2, W/2]
        x = F.silu(self.down1(x))                          # [N, w2, H/4, W/4]
        x = self.down2(x)                                  # [N, w3, H/8, W/8]
        x = F.silu(self.res(x))                            # [N, w3, H/8, W/8]
        mean, logvar = self.out(x).chunk(2, dim=1)         # 2 x [N, C, H/8, W/8]
        return mean, logvar.clamp(-12, 6)


class Decoder(nn.Module):
    def __init__(self, cfg: VAEConfig):
        super().__init__()
        w1, w2, w3 = cfg.widths
        self.inp = nn.Conv2d(cfg.latent_channels, w3, 3, padding=1)
        self.res = ResBlock(w3)
        self.up1 = nn.Conv2d(w3, w2, 3, padding=1)
        self.up2 = nn.Conv2d(w2, w1, 3, padding=1)
        self.res2 = ResBlock(w1)
        self.out = nn.Conv2d(w1, 12, 3, padding=1)

    def forward(self, z):                                  # z: [N, C, h, w]
        x = self.res(F.silu(self.inp(z)))                  # [N, w3, h, w]
        x = F.interpolate(F.silu(x), scale_factor=2.0, mode="nearest")   # [N, w3, 2h, 2w]
        x = F.silu(self.up1(x))                            # [N, w2, 2h, 2w]
        x = F.interpolate(x, scale_factor=2.0, mode="nearest")           # [N, w2, 4h, 4w]
        x = self.res2(F.silu(self.up2(x)))                 # [N, w1, 4h, 4w]
        x = self.out(F.silu(x))                            # [N, 12, 4h, 4w]
        return F.pixel_shuffle(x, 2)                       # [N, 3, 8h, 8w]


def add_latent_norm(vae: nn.Module, channels: int) -> None:
    """LatentNorm statistics per channel (identity until `fit_latent_norm` sets them after training),
    kept with the weights: both VAE families map their latents to zero mean and unit variance."""
    vae.register_buffer("latent_mean", torch.zeros(channels))
    vae.register_buffer("latent_std", torch.ones(channels))


class VAE(nn.Module):
    def __init__(self, cfg: VAEConfig):
        super().__init__()
        self.cfg = cfg
        self.encoder = Encoder(cfg)
        self.decoder = Decoder(cfg)
        add_latent_norm(self, cfg.latent_channels)

    def forward(self, x):
        """The training loss (forward, so that DistributedDataParallel syncs its gradients).
        x: [N, 3, H, W] in [-1, 1]. Returns (total, reconstruction mse, kl)."""
        mean, logvar = self.encoder(x)
        z = mean + torch.randn_like(mean) * torch.exp(0.5 * logvar)
        rec = self.decoder(z)
        mse = F.mse_loss(rec, x)
        l1 = (rec - x).abs().mean()
        kl = 0.5 * (mean.pow(2) + logvar.exp() - 1 - logvar).mean()
        return mse + 0.5 * l1 + self.cfg.kl_weight * kl, mse, kl

    def encode(self, x):
        """Normalised latents (the DiT's space). x: [N, 3, H, W] in [-1, 1] -> [N, C, H/8, W/8]."""
        mean, _ = self.encoder(x)
        return (mean - self.latent_mean[None, :, None, None]) / self.latent_std[None, :, None, None]

    def decode(self, z):
        """Normalised latents [N, C, h, w] -> RGB [N, 3, 8h, 8w] in about [-1, 1]."""
        z = z * self.latent_std[None, :, None, None] + self.latent_mean[None, :, None, None]
        return self.decoder(z)

    @torch.no_grad()
    def fit_latent_norm(self, x):
        mean, _ = self.encoder(x)
        self.latent_mean.copy_(mean.mean(dim=(0, 2, 3)))
        self.latent_std.copy_(mean.std(dim=(0, 2, 3)) + 1e-6)


def video_to_frames(video):
    """uint8 numpy [..., T, H, W, 3] -> float tensor [..., T, 3, H, W] in [-1, 1]."""
    x = torch.from_numpy(video).float().div(127.5).sub(1.0)
    return x.movedim(-1, -3)


def frames_to_video(x):
    """float tensor [..., 3, H, W] in [-1, 1] -> uint8 numpy [..., H, W, 3]."""
    return x.clamp(-1, 1).add(1).mul(127.5).round().byte().movedim(-3, -1).cpu().numpy()


def psnr(a, b):
    """PSNR in dB of uint8 arrays."""
    mse = ((a.astype("float64") - b.astype("float64")) ** 2).mean()
    return float(10 * torch.log10(torch.tensor(255.0 ** 2 / max(mse, 1e-10))))
