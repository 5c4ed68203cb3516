"""The text-conditioned video denoiser as trained: TextEncoder + DiT, and the family's configs.

Configs are one-line factories; every size runs with the same runtime (its manifest says which).
"""
from __future__ import annotations

from dataclasses import dataclass

import torch.nn as nn

from . import checkpoint

from .captions import MAX_TOKENS
from .dit import DiT
from .scene_tokens import SceneEncoder
from .text_encoder import TextEncoder


@dataclass
class GeneratorConfig:
    vocab_size: int
    latent_channels: int = 4
    d: int = 192
    depth: int = 6
    heads: int = 6
    d_text: int = 128
    text_depth: int = 2
    text_heads: int = 4
    max_tokens: int = MAX_TOKENS
    patch: int = 2                 # DiT patch side over the latent (v1: 2)
    pooled_text: bool = False      # v2 option: the pooled caption drives adaLN beside cross-attention
    condition: str = "text"        # "text": caption ids through the TextEncoder (v1, v2); "scene": v3's scene tokens


def tiny(**kw): return GeneratorConfig(d=64, depth=2, heads=2, d_text=64, text_heads=2, **kw)
def small(**kw): return GeneratorConfig(d=128, depth=6, heads=4, d_text=128, text_heads=4, **kw)
def medium(**kw): return GeneratorConfig(d=192, depth=6, heads=6, d_text=128, text_heads=4, **kw)
def base(**kw): return GeneratorConfig(d=384, depth=12, heads=6, d_text=256, text_heads=4, **kw)


CONFIGS = {"tiny": tiny, "small": small, "medium": medium, "base": base}


class Generator(nn.Module):
    def __init__(self, cfg: GeneratorConfig):
        super().__init__()
        self.cfg = cfg
        if cfg.condition == "scene":
            self.scene = SceneEncoder(cfg.d_text)
        else:
            self.text = TextEncoder(cfg.vocab_size, cfg.max_tokens, cfg.d_text, cfg.text_depth, cfg.text_heads)
        self.dit = DiT(cfg.latent_channels, cfg.d, cfg.depth, cfg.heads, cfg.d_text, cfg.patch, cfg.pooled_text)

    def forward(self, x, t, ids):
        """x [B, C, T, H, W], t [B, T], ids [B, L] caption ids (text) or [B, TOKENS, FIELDS] scene ids
        (scene; see scene_tokens) -> velocity [B, C, T, H, W]. All-zero ids are the unconditional input."""
        text, mask = self.scene(ids) if self.cfg.condition == "scene" else self.text(ids)   # [B, L, d_text], [B, L]
        return self.dit(x, t, text, mask)


def load_generator(ckpt_path: str, use_ema: bool = True) -> tuple:
    """(generator in eval mode, checkpoint) from a train.py or distill.py checkpoint (EMA weights by default)."""
    ck = checkpoint.load(ckpt_path)
    gen = Generator(GeneratorConfig(**ck["config"]))
    gen.load_state_dict(ck["ema"] if use_ema else ck["model"])
    return gen.eval(), ck
