"""v3's condition: the scene itself, as a few structured tokens (no text encoder).

The recaptioner (src/prompt/) turns a prompt into exactly the scene dict the world samples, so the
model can read that scene directly instead of a caption. Each token is the sum of a few learned
embeddings from one table; in the browser that is a lookup and a sum, with no tokenizer and no ONNX.

  token 0       background: role + kind + (plain: its colour | gradient: top and bottom colours)
  token 1       camera:     role + move
  tokens 2..4   objects:    role + slot + colour + shape + size + motion + speed (absent objects: no token)

ids [B, TOKENS, FIELDS] hold indices into VOCAB (0 = "nothing", an all-zero row that adds nothing);
a token is real when any of its fields is non-zero. The dropped (unconditional) scene is all zeros.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn as nn

from . import world

MAX_OBJECTS = 3
TOKENS = 2 + MAX_OBJECTS
FIELDS = 7


def _vocabulary() -> list:
    words = ["<nothing>", "role:background", "role:camera", "role:object"]
    words += [f"bg:{k}" for k in world.BACKGROUNDS]
    for part in ("bgcolour", "bgtop", "bgbottom"):
        words += [f"{part}:{c}" for c in world.BG_COLOURS]
    words += [f"camera:{c}" for c in world.CAMERAS]
    words += [f"slot:{i + 1}" for i in range(MAX_OBJECTS)]
    words += [f"colour:{c}" for c in world.COLOURS]
    words += [f"shape:{s}" for s in world.SHAPES]
    words += [f"size:{s}" for s in world.SIZES]
    words += [f"motion:{m}" for m in world.MOTIONS]
    words += [f"speed:{s}" for s in world.SPEEDS]
    return words


VOCAB = _vocabulary()
INDEX = {w: i for i, w in enumerate(VOCAB)}


def scene_ids(scene: dict | None) -> np.ndarray:
    """int64 [TOKENS, FIELDS] for one scene dict (None: the dropped condition, all zeros)."""
    ids = np.zeros((TOKENS, FIELDS), np.int64)
    if scene is None:
        return ids
    bg = scene["background"]
    row = ["role:background", f"bg:{bg['kind']}"]
    if bg["kind"] == "plain":
        row.append(f"bgcolour:{bg['colour']}")
    elif bg["kind"] == "gradient":
        row += [f"bgtop:{bg['top']}", f"bgbottom:{bg['bottom']}"]
    ids[0, :len(row)] = [INDEX[w] for w in row]
    ids[1, :2] = [INDEX["role:camera"], INDEX[f"camera:{scene.get('camera', 'static')}"]]
    for i, obj in enumerate(scene["objects"][:MAX_OBJECTS]):
        row = ["role:object", f"slot:{i + 1}", f"colour:{obj['colour']}", f"shape:{obj['shape']}",
               f"size:{obj['size']}", f"motion:{obj['motion']}", f"speed:{obj['speed']}"]
        ids[2 + i] = [INDEX[w] for w in row]
    return ids


def drop_parts(ids: np.ndarray, rng: np.random.Generator, p: float = 0.5) -> np.ndarray:
    """A copy of ids [TOKENS, FIELDS] with each named part (not a role or a slot) left out with
    probability p: what a partial scene looks like (a negative prompt names only what is unwanted), so
    the model learns that a missing part means "any" rather than meeting it first at sampling time."""
    out = ids.copy()
    roles_and_slots = {INDEX[w] for w in VOCAB if w.startswith(("role:", "slot:"))}
    for k in range(TOKENS):
        for f in range(FIELDS):
            if out[k, f] and out[k, f] not in roles_and_slots and rng.random() < p:
                out[k, f] = 0
        named = [i for i in out[k] if i]
        out[k] = 0
        out[k, :len(named)] = named                 # keep the parts packed from field 0, as scene_ids writes them
    return out


def batch_ids(scenes: list) -> np.ndarray:
    """int64 [B, TOKENS, FIELDS] for a list of scene dicts (None entries: dropped)."""
    return np.stack([scene_ids(s) for s in scenes])


class SceneEncoder(nn.Module):
    """ids [B, TOKENS, FIELDS] -> tokens [B, TOKENS, d] (sum of field embeddings), mask [B, TOKENS]."""

    def __init__(self, d: int):
        super().__init__()
        self.table = nn.Embedding(len(VOCAB), d, padding_idx=0)
        nn.init.normal_(self.table.weight, std=0.5)
        with torch.no_grad():
            self.table.weight[0].zero_()

    def forward(self, ids):
        tokens = self.table(ids).sum(dim=2)                            # [B, TOKENS, d]
        mask = (ids.amax(dim=2) > 0).float()                           # [B, TOKENS]
        return tokens, mask
