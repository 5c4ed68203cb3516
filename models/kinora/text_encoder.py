"""The text encoder: word embeddings + learned positions + a few pre-LN transformer layers.

ids [B, L] (L = captions.MAX_TOKENS, 0 = padding) -> text tokens [B, L, d_text] and the key-padding
mask [B, L] (1.0 for real tokens, 0.0 for padding) that the DiT's cross-attention uses. Padding
positions are encoded too (they are never attended to by the DiT). Trained jointly with the DiT.
"""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from .dit import MASK_BIAS, attention


class TextLayer(nn.Module):
    def __init__(self, d: int, heads: int):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.norm2 = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, 4 * d)
        self.fc2 = nn.Linear(4 * d, d)

    def forward(self, x, bias):                                        # x [B, L, d], bias [B, 1, 1, L]
        b, L, d = x.shape
        qkv = self.qkv(self.norm1(x)).view(b, L, 3, self.heads, d // self.heads)   # [B, L, 3, heads, hd]
        q, k, v = qkv.permute(2, 0, 3, 1, 4)                           # 3 x [B, heads, L, hd]
        x = x + self.proj(attention(q, k, v, bias).transpose(1, 2).reshape(b, L, d))   # [B, L, d]
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x)), approximate="tanh"))       # [B, L, d]


class TextEncoder(nn.Module):
    def __init__(self, vocab_size: int, max_tokens: int = 64, d: int = 128, depth: int = 2, heads: int = 4):
        super().__init__()
        self.tok_embed = nn.Embedding(vocab_size, d)
        self.pos_embed = nn.Parameter(torch.randn(max_tokens, d) * 0.02)
        self.layers = nn.ModuleList([TextLayer(d, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(d)
        nn.init.normal_(self.tok_embed.weight, std=0.02)

    def forward(self, ids):                                            # ids: [B, L] int64
        mask = (ids != 0).float()                                      # [B, L]
        bias = ((1.0 - mask) * MASK_BIAS)[:, None, None, :]            # [B, 1, 1, L]
        x = self.tok_embed(ids) + self.pos_embed[None, : ids.shape[1]] # [B, L, d]
        for layer in self.layers:
            x = layer(x, bias)                                         # [B, L, d]
        return self.norm(x), mask                                      # [B, L, d], [B, L]
