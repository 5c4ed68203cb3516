"""The denoiser: a diffusion transformer over spacetime latent patches (after facebookresearch/DiT).

Contract (mirrored block for block by the TypeScript graph; docs/model-format.md is the reference):
  latent x [B, C, T, H, W] -> patchify (1, p, p), p = 2 (v1) or 1 -> Linear to width d   tokens [B, T*h*w, d]
  noise level t [B, T] in [0, 1], one per frame -> sinusoid(1000 t, 256) -> Linear, SiLU, Linear -> c [B, T, d]
  (v2, pooled_text) c += Linear(SiLU(Linear(masked mean of the text tokens)))  [B, 1, d]: the caption drives adaLN too
  block:  shift1, scale1, gate1, shift2, scale2, gate2 = Linear(SiLU(c))      per frame, broadcast to its tokens
          x += gate1 * SelfAttn(modulate(LN(x), shift1, scale1))              3D RoPE on q and k
          x += CrossAttn(LN(x), text, text_mask)                              plain LN, no gate
          x += gate2 * MLP(modulate(LN(x), shift2, scale2))                   GELU (tanh), 4x width
  final:  shift, scale = Linear(SiLU(c)); Linear(modulate(LN(x), shift, scale)) -> unpatchify -> v [B, C, T, H, W]
All LayerNorms have no affine parameters and eps 1e-6 (written out by hand: see `layer_norm`).
The output is the flow-matching velocity v = noise - x0, for x_t = (1 - t) x0 + t noise.
"""
from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

ROPE_BASE = 10000.0
TIME_FREQ_DIM = 256
MASK_BIAS = -1e9           # added to attention scores of padding keys


def layer_norm(x, eps: float = 1e-6):
    """LayerNorm over the last axis without affine parameters (by hand: exports to plain ONNX ops)."""
    mean = x.mean(dim=-1, keepdim=True)
    var = (x - mean).pow(2).mean(dim=-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps)


def modulate(x, shift, scale):
    return x * (1 + scale) + shift


# ----------------------------------------------------------------------------------------------
# Positions: 3D rotary embedding
# ----------------------------------------------------------------------------------------------

def rope_split(head_dim: int) -> tuple:
    """How many dimensions of each head rotate with t, h and w: (head_dim/4, 3 head_dim/8, 3 head_dim/8)."""
    assert head_dim % 16 == 0, "head_dim must be a multiple of 16 for the 3D RoPE split"
    return head_dim // 4, 3 * head_dim // 8, 3 * head_dim // 8


def rope_angles(t: int, h: int, w: int, head_dim: int, device=None):
    """cos, sin [t*h*w, head_dim/2] for tokens in (t, h, w) row-major order.

    Pair k of a head (dims 2k, 2k+1) rotates by pos_axis * ROPE_BASE ** (-2j / m_axis), where the
    first d_t/2 pairs use the frame index (j = k), the next d_h/2 the patch row, the last d_w/2 the
    patch column, and m_axis is that axis's number of dimensions.
    """
    parts = []
    for n, m in zip((t, h, w), rope_split(head_dim)):
        freqs = ROPE_BASE ** (-torch.arange(0, m, 2, device=device, dtype=torch.float32) / m)   # [m/2]
        parts.append(torch.arange(n, device=device, dtype=torch.float32)[:, None] * freqs[None])  # [n, m/2]
    at = parts[0][:, None, None, :].expand(t, h, w, -1)
    ah = parts[1][None, :, None, :].expand(t, h, w, -1)
    aw = parts[2][None, None, :, :].expand(t, h, w, -1)
    ang = torch.cat([at, ah, aw], dim=-1).reshape(t * h * w, head_dim // 2)          # [N, hd/2]
    return torch.cos(ang), torch.sin(ang)


def apply_rope(x, cos, sin):
    """x [B, heads, N, hd]; rotates interleaved pairs (x[2k], x[2k+1]) by the angles of pair k."""
    x1, x2 = x[..., 0::2], x[..., 1::2]                                # [B, heads, N, hd/2]
    out1 = x1 * cos - x2 * sin
    out2 = x1 * sin + x2 * cos
    return torch.stack([out1, out2], dim=-1).flatten(-2)               # [B, heads, N, hd]


def attention(q, k, v, bias=None):
    """q [B, heads, N, hd], k, v [B, heads, M, hd], bias broadcastable to [B, heads, N, M]."""
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])          # [B, heads, N, M]
    if bias is not None:
        scores = scores + bias
    return scores.softmax(dim=-1) @ v                                  # [B, heads, N, hd]


# ----------------------------------------------------------------------------------------------
# Modules
# ----------------------------------------------------------------------------------------------

class TimestepEmbedder(nn.Module):
    """Noise level t in [0, 1] (one per frame) -> vector of width d, as DiT's TimestepEmbedder of 1000 t."""

    def __init__(self, d: int, freq_dim: int = TIME_FREQ_DIM):
        super().__init__()
        self.freq_dim = freq_dim
        self.mlp = nn.Sequential(nn.Linear(freq_dim, d), nn.SiLU(), nn.Linear(d, d))

    @staticmethod
    def sinusoid(t, dim: int, max_period: float = 10000.0):
        half = dim // 2
        freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
        args = (1000.0 * t)[..., None].float() * freqs                 # [..., half]
        return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)   # [..., dim]: cos first

    def forward(self, t):                                              # t: [B, T]
        return self.mlp(self.sinusoid(t, self.freq_dim))               # [B, T, d]


class SelfAttention(nn.Module):
    def __init__(self, d: int, heads: int):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)     # output features: q | k | v, each heads x head_dim
        self.proj = nn.Linear(d, d)

    def forward(self, x, cos, sin):                                    # x: [B, N, d]
        b, n, d = x.shape
        qkv = self.qkv(x).view(b, n, 3, self.heads, d // self.heads)   # [B, N, 3, heads, hd]
        q, k, v = qkv.permute(2, 0, 3, 1, 4)                           # 3 x [B, heads, N, hd]
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)        # [B, heads, N, hd]
        out = attention(q, k, v)                                       # [B, heads, N, hd]
        return self.proj(out.transpose(1, 2).reshape(b, n, d))         # [B, N, d]


class CrossAttention(nn.Module):
    """Queries from the video tokens, keys and values from the text tokens; padding keys are masked.

    A row whose text has no real token (the empty caption) attends to nothing: its attention output
    is 0, so the block adds only proj.bias.
    """

    def __init__(self, d: int, d_text: int, heads: int):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(d, d)
        self.kv = nn.Linear(d_text, 2 * d)     # output features: k | v
        self.proj = nn.Linear(d, d)

    def forward(self, x, text, text_mask):                             # x [B, N, d], text [B, L, dt], mask [B, L]
        b, n, d = x.shape
        L, hd = text.shape[1], d // self.heads
        q = self.q(x).view(b, n, self.heads, hd).transpose(1, 2)       # [B, heads, N, hd]
        kv = self.kv(text).view(b, L, 2, self.heads, hd)               # [B, L, 2, heads, hd]
        k, v = kv.permute(2, 0, 3, 1, 4)                               # 2 x [B, heads, L, hd]
        bias = ((1.0 - text_mask) * MASK_BIAS)[:, None, None, :]       # [B, 1, 1, L]
        any_real = text_mask.amax(dim=1)[:, None, None, None]          # [B, 1, 1, 1]
        out = attention(q, k, v, bias) * any_real                      # [B, heads, N, hd]
        return self.proj(out.transpose(1, 2).reshape(b, n, d))         # [B, N, d]


class MLP(nn.Module):
    def __init__(self, d: int, ratio: int = 4):
        super().__init__()
        self.fc1 = nn.Linear(d, ratio * d)
        self.fc2 = nn.Linear(ratio * d, d)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x), approximate="tanh"))


class DiTBlock(nn.Module):
    def __init__(self, d: int, heads: int, d_text: int):
        super().__init__()
        self.attn = SelfAttention(d, heads)
        self.cross = CrossAttention(d, d_text, heads)
        self.mlp = MLP(d)
        self.adaLN_modulation = nn.Linear(d, 6 * d)

    def forward(self, x, c, text, text_mask, cos, sin):               # x [B, T, S, d] (S = h*w), c [B, T, d]
        b, t, s, d = x.shape
        mod = self.adaLN_modulation(F.silu(c))[:, :, None, :]          # [B, T, 1, 6d]
        shift1, scale1, gate1, shift2, scale2, gate2 = mod.chunk(6, dim=-1)   # 6 x [B, T, 1, d]
        h = modulate(layer_norm(x), shift1, scale1).view(b, t * s, d)  # [B, N, d]
        x = x + gate1 * self.attn(h, cos, sin).view(b, t, s, d)        # [B, T, S, d]
        h = layer_norm(x).view(b, t * s, d)                            # [B, N, d]
        x = x + self.cross(h, text, text_mask).view(b, t, s, d)        # [B, T, S, d]
        x = x + gate2 * self.mlp(modulate(layer_norm(x), shift2, scale2))   # [B, T, S, d]
        return x


class FinalLayer(nn.Module):
    def __init__(self, d: int, out_dim: int):
        super().__init__()
        self.adaLN_modulation = nn.Linear(d, 2 * d)
        self.linear = nn.Linear(d, out_dim)

    def forward(self, x, c):                                           # x [B, T, S, d], c [B, T, d]
        shift, scale = self.adaLN_modulation(F.silu(c))[:, :, None, :].chunk(2, dim=-1)   # 2 x [B, T, 1, d]
        return self.linear(modulate(layer_norm(x), shift, scale))      # [B, T, S, p*p*C]


class PooledTextEmbedder(nn.Module):
    """The caption as one vector, added to the timestep embedding so that it drives every adaLN
    (as SD3, FLUX and HunyuanVideo do beside cross-attention): masked mean of the text tokens ->
    Linear, SiLU, Linear. An empty caption pools to zeros, so it maps to a constant vector."""

    def __init__(self, d_text: int, d: int):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(d_text, d), nn.SiLU(), nn.Linear(d, d))

    def forward(self, text, text_mask):                                # text [B, L, dt], mask [B, L]
        pooled = (text * text_mask[..., None]).sum(1) / text_mask.sum(1, keepdim=True).clamp(min=1.0)   # [B, dt]
        return self.mlp(pooled)                                        # [B, d]


class DiT(nn.Module):
    def __init__(self, latent_channels: int = 4, d: int = 192, depth: int = 6, heads: int = 6, d_text: int = 128,
                 patch: int = 2, pooled_text: bool = False):
        super().__init__()
        self.c, self.d, self.heads, self.p = latent_channels, d, heads, patch
        self.patch_embed = nn.Linear(latent_channels * patch * patch, d)   # input features ordered (c, ph, pw)
        self.t_embedder = TimestepEmbedder(d)
        self.text_pool = PooledTextEmbedder(d_text, d) if pooled_text else None
        self.blocks = nn.ModuleList([DiTBlock(d, heads, d_text) for _ in range(depth)])
        self.final_layer = FinalLayer(d, patch * patch * latent_channels)   # output features ordered (c, ph, pw)
        self.initialize_weights()

    def initialize_weights(self):
        # Xavier for every linear, as DiT; the timestep MLP from N(0, 0.02).
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)
        for lin in (self.t_embedder.mlp[0], self.t_embedder.mlp[2]):
            nn.init.normal_(lin.weight, std=0.02)
        # adaLN-Zero: zero modulations make every gated branch start as the identity (gates = 0) and
        # the zero final linear makes the model start by predicting v = 0, so early training is stable.
        for block in self.blocks:
            nn.init.zeros_(block.adaLN_modulation.weight)
            nn.init.zeros_(block.adaLN_modulation.bias)
        nn.init.zeros_(self.final_layer.adaLN_modulation.weight)
        nn.init.zeros_(self.final_layer.adaLN_modulation.bias)
        nn.init.zeros_(self.final_layer.linear.weight)
        nn.init.zeros_(self.final_layer.linear.bias)

    def patchify(self, x):                                             # x: [B, C, T, H, W]
        b, c, t, hh, ww = x.shape
        p = self.p
        h, w = hh // p, ww // p
        x = x.reshape(b, c, t, h, p, w, p).permute(0, 2, 3, 5, 1, 4, 6)  # [B, T, h, w, C, p, p]
        return x.reshape(b, t, h * w, c * p * p)                       # [B, T, S, p*p*C]

    def unpatchify(self, x, h: int, w: int):                           # x: [B, T, S, p*p*C]
        b, t = x.shape[:2]
        p = self.p
        x = x.reshape(b, t, h, w, self.c, p, p).permute(0, 4, 1, 2, 5, 3, 6)  # [B, C, T, h, p, w, p]
        return x.reshape(b, self.c, t, p * h, p * w)                  # [B, C, T, H, W]

    def forward(self, x, t, text, text_mask):
        """x [B, C, T, H, W] noisy latents, t [B, T] noise level per frame, text [B, L, d_text],
        text_mask [B, L] (1.0 real token, 0.0 padding) -> velocity [B, C, T, H, W]."""
        _, _, frames, hh, ww = x.shape
        h, w = hh // self.p, ww // self.p
        cos, sin = rope_angles(frames, h, w, self.d // self.heads, x.device)   # [N, hd/2] each
        x = self.patch_embed(self.patchify(x))                         # [B, T, S, d]
        c = self.t_embedder(t)                                         # [B, T, d]
        if self.text_pool is not None:
            c = c + self.text_pool(text, text_mask)[:, None, :]        # [B, T, d]
        for block in self.blocks:
            x = block(x, c, text, text_mask, cos, sin)                 # [B, T, S, d]
        x = self.final_layer(x, c)                                     # [B, T, S, 4C]
        return self.unpatchify(x, h, w)                                # [B, C, T, H, W]
