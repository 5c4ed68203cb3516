"""v2's causal spacetime VAE: video [N, T, 3, H, W] in [-1, 1]  <->  latents [N, t, C, H/s, W/s].

Time is compressed as well as space (as in Sora's video compression network, Wan and LTX-Video),
and causally: latent frame 0 codes video frame 0 alone, latent frame j >= 1 codes frames
4j-3 .. 4j (time factor 4) and reads nothing after them. So a clip has 1 + 4k frames and
1 + k latent frames, an image is a one-frame video (one latent frame), and the latents of given
frames (image-to-video, extension) do not depend on frames that are not given.

The decoder upsamples `upsample` times more than the encoder downsamples: it reads latents of
64-px frames and draws 128-px frames (trained on 128-px renders of the same scenes), so the DiT's
cost stays that of a 64-px video while the output is 128 px on the short side.

Every convolution is 2D over one frame or a causal 1D convolution over time written as frame
shifts and a 1x1 2D convolution: cheap on a CPU, and plain Conv nodes in ONNX.
`time_factor = 1` gives the per-frame alternative (no temporal layer at all), for the ablation.

Layout: frames first ([N, T, C, H, W]) so that spatial layers fold N*T into the batch.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from .vae import add_latent_norm


@dataclass
class VideoVAEConfig:
    latent_channels: int = 16
    time_factor: int = 4              # 1, 2 or 4: a clip of 1 + f*k frames has 1 + k latent frames
    space_factor: int = 4             # encoder downsampling: 4 or 8
    upsample: int = 2                 # decoder output size / encoder input size
    encoder_widths: tuple = (32, 64, 128)   # at 1/2, 1/4, 1/8 of the input
    latent_width: int = 128           # features at the latent resolution (both sides)
    decoder_widths: tuple = (32, 64, 128)   # at 1/2, 1/4, 1/8 of the output
    kl_weight: float = 1e-4

    @property
    def time_levels(self) -> int:
        return int(round(math.log2(self.time_factor)))

    def latent_frames(self, frames: int) -> int:
        if (frames - 1) % self.time_factor:
            raise ValueError(f"a clip has 1 + {self.time_factor}k frames, not {frames}")
        return 1 + (frames - 1) // self.time_factor


# The ablation's layouts (model card, "v2 latent layout"): equal compression (12x) and equal DiT
# tokens per second of video with patch 2, one causal in time, one per frame.
def VVAE_T4S4(**kw): return VideoVAEConfig(latent_channels=16, time_factor=4, space_factor=4, **kw)
def VVAE_T1S8(**kw): return VideoVAEConfig(latent_channels=16, time_factor=1, space_factor=8, **kw)
def VVAE_T4S8(**kw): return VideoVAEConfig(latent_channels=64, time_factor=4, space_factor=8, **kw)
def VVAE_TINY(**kw): return VideoVAEConfig(latent_channels=8, time_factor=4, space_factor=4, encoder_widths=(8, 16, 16),
                                           latent_width=16, decoder_widths=(8, 16, 16), **kw)

VIDEO_VAE_CONFIGS = {"t4s4": VVAE_T4S4, "t1s8": VVAE_T1S8, "t4s8": VVAE_T4S8, "tiny": VVAE_TINY}


def fold(x):
    """[N, T, C, H, W] -> [N*T, C, H, W]"""
    return x.flatten(0, 1)


def unfold(x, n: int):
    """[N*T, C, H, W] -> [N, T, C, H, W]"""
    return x.view(n, -1, *x.shape[1:])


def weighted_mean(e, w):
    """Mean of e [N, T, 3, H, W] with per-pixel weights w [N, T, 1, H, W]."""
    return (e * w).sum() / w.expand_as(e).sum()


class CausalTimeConv(nn.Module):
    """out[t] = W0 x[t-2] + W1 x[t-1] + W2 x[t] (+ b), frames before the first repeat the first:
    a causal convolution of kernel 3 over time, as shifts and one 1x1 convolution per frame."""

    def __init__(self, c_in: int, c_out: int, kernel: int = 3):
        super().__init__()
        self.kernel = kernel
        self.mix = nn.Conv2d(c_in * kernel, c_out, 1)

    def forward(self, x):                                      # x: [N, T, C, H, W]
        n, t = x.shape[:2]
        padded = torch.cat([x[:, :1].expand(-1, self.kernel - 1, -1, -1, -1), x], dim=1)   # [N, T+k-1, C, H, W]
        shifted = torch.cat([padded[:, i:i + t] for i in range(self.kernel)], dim=2)       # [N, T, k*C, H, W]
        return unfold(self.mix(fold(shifted)), n)              # [N, T, C_out, H, W]


class ResBlock(nn.Module):
    """Two 3x3 convolutions per frame, with a causal time convolution between them when temporal."""

    def __init__(self, ch: int, temporal: bool):
        super().__init__()
        self.conv1 = nn.Conv2d(ch, ch, 3, padding=1)
        self.time = CausalTimeConv(ch, ch) if temporal else None
        self.conv2 = nn.Conv2d(ch, ch, 3, padding=1)

    def forward(self, x):                                      # x: [N, T, C, H, W]
        n = x.shape[0]
        h = unfold(self.conv1(F.silu(fold(x))), n)
        if self.time is not None:
            h = h + self.time(F.silu(h))
        return x + unfold(self.conv2(F.silu(fold(h))), n)


class TimeDown(nn.Module):
    """Halve the frames causally: 1 + 2k -> 1 + k (frame 0 stays alone; frame j reads 2j-2 .. 2j)."""

    def __init__(self, ch: int):
        super().__init__()
        self.conv = CausalTimeConv(ch, ch)

    def forward(self, x):                                      # [N, 1+2k, C, H, W]
        return self.conv(x)[:, ::2]                            # [N, 1+k, C, H, W]


class TimeUp(nn.Module):
    """Double the frames causally: 1 + k -> 1 + 2k. Each frame makes two (its channels split in two
    halves); frame 0's first half would be a frame before the clip and is dropped."""

    def __init__(self, ch: int):
        super().__init__()
        self.conv = CausalTimeConv(ch, 2 * ch)

    def forward(self, x):                                      # [N, T, C, H, W]
        n, t, c, h, w = x.shape
        y = self.conv(x).view(n, t, 2, c, h, w).flatten(1, 2)  # [N, 2T, C, H, W]
        return y[:, 1:]                                        # [N, 2T-1, C, H, W]


class Encoder(nn.Module):
    def __init__(self, cfg: VideoVAEConfig):
        super().__init__()
        temporal = cfg.time_factor > 1
        levels = int(round(math.log2(cfg.space_factor)))        # pixel-unshuffle gives the first
        w = cfg.encoder_widths
        self.stem = nn.Conv2d(12, w[0], 3, padding=1)
        self.space = nn.ModuleList()
        for i in range(1, levels):
            self.space.append(nn.ModuleList([ResBlock(w[i - 1], False), nn.Conv2d(w[i - 1], w[i], 3, stride=2, padding=1)]))
        self.to_latent_width = nn.Conv2d(w[levels - 1], cfg.latent_width, 1)
        self.time = nn.ModuleList()
        for _ in range(cfg.time_levels):
            self.time.append(nn.ModuleList([ResBlock(cfg.latent_width, temporal), TimeDown(cfg.latent_width)]))
        self.mid = ResBlock(cfg.latent_width, temporal)
        self.out = nn.Conv2d(cfg.latent_width, 2 * cfg.latent_channels, 1)
        # Start with a small posterior std (e^-3 = 0.05): with log-variance 0 the sampled noise
        # (std 1) drowns the young encoder's small means and the decoder learns nothing for hundreds
        # of steps (measured: PSNR stuck at 10 dB).
        nn.init.constant_(self.out.bias[cfg.latent_channels:], -6.0)

    def forward(self, x):                                      # x: [N, T, 3, H, W]
        n = x.shape[0]
        h = F.silu(self.stem(F.pixel_unshuffle(fold(x), 2)))   # [N*T, w0, H/2, W/2]
        for res, down in self.space:
            h = down(F.silu(res(unfold(h, n)).flatten(0, 1)))  # [N*T, w_i, H/2^(i+1), W/2^(i+1)]
        h = unfold(self.to_latent_width(h), n)                 # [N, T, lw, h, w]
        for res, down in self.time:
            h = down(res(h))                                   # [N, T/2 (causal), lw, h, w]
        h = F.silu(self.mid(h))
        mean, logvar = unfold(self.out(fold(h)), n).chunk(2, dim=2)   # 2 x [N, t, C, h, w]
        return mean, logvar.clamp(-12, 6)


class Decoder(nn.Module):
    def __init__(self, cfg: VideoVAEConfig):
        super().__init__()
        temporal = cfg.time_factor > 1
        levels = int(round(math.log2(cfg.space_factor * cfg.upsample)))   # pixel-shuffle gives the last
        w = cfg.decoder_widths
        if levels - 1 > len(w):
            raise ValueError(f"decoder_widths needs {levels - 1} entries for {cfg.space_factor * cfg.upsample}x")
        self.inp = nn.Conv2d(cfg.latent_channels, cfg.latent_width, 3, padding=1)
        self.mid = ResBlock(cfg.latent_width, temporal)
        self.time = nn.ModuleList()
        for _ in range(cfg.time_levels):
            self.time.append(nn.ModuleList([TimeUp(cfg.latent_width), ResBlock(cfg.latent_width, temporal)]))
        self.space = nn.ModuleList()
        c = cfg.latent_width
        for i in reversed(range(levels - 1)):                  # widths at 1/2^(i+1) of the output
            self.space.append(nn.ModuleList([nn.Conv2d(c, w[i], 3, padding=1), ResBlock(w[i], False)]))
            c = w[i]
        self.out = nn.Conv2d(c, 12, 3, padding=1)

    def forward(self, z):                                      # z: [N, t, C, h, w]
        n = z.shape[0]
        h = self.mid(unfold(self.inp(fold(z)), n))             # [N, t, lw, h, w]
        for up, res in self.time:
            h = res(up(h))                                     # [N, 2t-1, lw, h, w]
        h = fold(h)
        for conv, res in self.space:
            h = F.interpolate(F.silu(h), scale_factor=2.0, mode="nearest")
            h = fold(res(unfold(conv(h), n)))                  # [N*T, w_i, 2x, 2x]
        return unfold(F.pixel_shuffle(self.out(F.silu(h)), 2), n)   # [N, T, 3, H*s*up, W*s*up]


class VideoVAE(nn.Module):
    def __init__(self, cfg: VideoVAEConfig):
        super().__init__()
        self.cfg = cfg
        self.encoder = Encoder(cfg)
        self.decoder = Decoder(cfg)
        add_latent_norm(self, cfg.latent_channels)

    def forward(self, x, target, weight=None, edge_weight: float = 0.0):
        """The training loss. x: [N, T, 3, H, W] (encoder input), target: [N, T, 3, H*up, W*up], both
        in [-1, 1]; weight: [N, T, 1, H*up, W*up] per-pixel loss weight (objects count more), or None.
        Returns (total, reconstruction mse, kl)."""
        mean, logvar = self.encoder(x)
        rec = self.decoder(mean + torch.randn_like(mean) * torch.exp(0.5 * logvar))
        weight = torch.ones_like(target[:, :, :1]) if weight is None else weight
        err = rec - target
        loss = weighted_mean(err.pow(2), weight) + 0.5 * weighted_mean(err.abs(), weight)
        if edge_weight:                                        # L1 on image gradients: sharper edges
            loss = loss + edge_weight * (weighted_mean((err[..., :, 1:] - err[..., :, :-1]).abs(), weight[..., :, 1:])
                                         + weighted_mean((err[..., 1:, :] - err[..., :-1, :]).abs(), weight[..., 1:, :]))
        kl = 0.5 * (mean.pow(2) + logvar.exp() - 1 - logvar).mean()
        return loss + self.cfg.kl_weight * kl, F.mse_loss(rec, target), kl

    def encode(self, x):
        """Normalised latents (the DiT's space). x: [N, T, 3, H, W] -> [N, t, C, H/s, W/s]."""
        mean, _ = self.encoder(x)
        return (mean - self.latent_mean[:, None, None]) / self.latent_std[:, None, None]

    def decode(self, z):
        """Normalised latents [N, t, C, h, w] -> RGB [N, T, 3, h*s*up, w*s*up] in about [-1, 1]."""
        return self.decoder(z * self.latent_std[:, None, None] + self.latent_mean[:, None, None])

    @torch.no_grad()
    def fit_latent_norm(self, x):
        mean, _ = self.encoder(x)                              # [N, t, C, h, w]
        self.latent_mean.copy_(mean.mean(dim=(0, 1, 3, 4)))
        self.latent_std.copy_(mean.std(dim=(0, 1, 3, 4)) + 1e-6)


def load_vae(path: str, device="cpu"):
    """(vae, checkpoint) for a checkpoint of either family: a v2 VideoVAE (train.py --stage video_vae,
    EMA weights) or a v1 per-frame VAE; frozen, in eval mode."""
    from . import checkpoint
    from .pixel_space import PIXEL, PixelSpace
    from .vae import VAE, VAEConfig
    if path == PIXEL:                                         # the pixel-space baseline (pixel_space.py)
        return PixelSpace().to(device).eval(), {"kind": PIXEL, "step": 0, "samples": 0}
    ck = checkpoint.load(path)
    if ck.get("kind") == "video_vae":
        vae = VideoVAE(VideoVAEConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in ck["config"].items()}))
        vae.load_state_dict(ck.get("ema") or ck["model"])
    else:
        vae = VAE(VAEConfig(**ck["config"]))
        vae.load_state_dict(ck["ema"] if "ema" in ck else ck["model"])
    return vae.to(device).eval().requires_grad_(False), ck
