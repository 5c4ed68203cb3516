"""Training data, rendered on the fly by the world: frames for the VAEs, latent clips for the DiT.

Every function takes a numpy Generator and returns a batch of one shape (one aspect, one frame
count), so a data worker (RenderedBatches, with train.py --workers N) can make batches for a GPU
while the training loop runs, and a CPU run makes them in the loop from seeds of its step.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from . import captions, scene_tokens, world
from .vae import video_to_frames
from .video_vae import VideoVAE, VideoVAEConfig

# Frame counts (1 = a still image) and their probabilities; the token budget sets the batch size.
FRAME_CHOICES = [1, 2, 4, 6, 8, 12, 16]
FRAME_PROBS = [0.1, 0.05, 0.1, 0.1, 0.2, 0.15, 0.3]
ASPECT_PROBS = {"1:1": 0.5, "16:9": 0.25, "9:16": 0.25}
# v2: latent frames per clip (1 = an image; 5 = 17 frames, 2 s at 8 fps) and their probabilities.
V2_LATENT_FRAME_CHOICES = [1, 2, 3, 4, 5]
V2_LATENT_FRAME_PROBS = [0.1, 0.1, 0.2, 0.2, 0.4]
COND_MODES = ["none", "first", "first_k", "last_k", "first_last"]
COND_PROBS = [0.5, 0.2, 0.1, 0.1, 0.1]


# ----------------------------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------------------------

def vae_batch(rng: np.random.Generator, n_frames: int) -> torch.Tensor:
    """[n_frames, 3, H, W] frames in [-1, 1] from random training scenes (4 frames per clip, one aspect)."""
    aspect = str(rng.choice(list(ASPECT_PROBS), p=list(ASPECT_PROBS.values())))
    w, h = world.ASPECTS[aspect]
    frames = []
    while len(frames) < n_frames:
        scene = world.sample_scene(int(rng.integers(2**62)), split="train")
        video, _ = world.render(scene, w, h, 16)
        frames.extend(video[rng.choice(16, size=4, replace=False)])
    return video_to_frames(np.stack(frames[:n_frames]))


def video_vae_batch(rng: np.random.Generator, n_frames: int, cfg: VideoVAEConfig, fg_weight: float):
    """Clips of 1 + f*k frames (k = 0, 1, 2; one length and aspect per batch) for the video VAE:
    encoder input [B, T, 3, H, W] (the 2x-larger render averaged down: the same coverage-based
    anti-aliasing as a render at that size), decoder target [B, T, 3, H*up, W*up], and per-pixel
    loss weights [B, T, 1, H*up, W*up] (1 + fg_weight on objects and a margin around them)."""
    aspect = str(rng.choice(list(ASPECT_PROBS), p=list(ASPECT_PROBS.values())))
    w, h = world.ASPECTS[aspect]
    up = cfg.upsample
    frames = 1 + cfg.time_factor * int(rng.choice([0, 1, 2], p=[0.2, 0.4, 0.4])) if cfg.time_factor > 1 else 9
    b = max(1, n_frames // frames)
    targets, weights = [], []
    gy, gx = np.mgrid[0:h * up, 0:w * up].astype(np.float32) + 0.5
    for _ in range(b):
        scene = world.sample_scene(int(rng.integers(2**62)), split="train")
        start = int(rng.integers(0, 16))
        video, truth = world.render(scene, w * up, h * up, frames, start_frame=start)
        weight = np.ones((frames, h * up, w * up), np.float32)
        for obj in truth["objects"]:
            for f in range(frames):
                near = np.hypot(gx - obj["x"][f], gy - obj["y"][f]) < obj["r"][f] * 1.3 + 2 * up
                weight[f][near] += fg_weight
        targets.append(video)
        weights.append(weight)
    target = video_to_frames(np.stack(targets))                            # [B, T, 3, H*up, W*up]
    x = F.avg_pool2d(target.flatten(0, 1), up).view(b, frames, 3, h, w) if up > 1 else target
    return x, target, torch.from_numpy(np.stack(weights))[:, :, None]


def condition_mask(rng: np.random.Generator, t_frames: int) -> np.ndarray:
    """bool [T]: True where the frame is given clean as a condition."""
    mask = np.zeros(t_frames, bool)
    if t_frames < 2:
        return mask
    mode = str(rng.choice(COND_MODES, p=COND_PROBS))
    k = int(rng.integers(1, t_frames))
    if mode == "first":
        mask[0] = True
    elif mode == "first_k":
        mask[:k] = True
    elif mode == "last_k":
        mask[-k:] = True
    elif mode == "first_last":
        mask[0] = mask[-1] = True
    return mask


def object_cells(truth: dict, t_frames: int, h_lat: int, w_lat: int, cell: int = 8) -> np.ndarray:
    """float [T, h, w]: 1 on the latent cells an object covers (its radius plus half a cell), else 0.

    Objects are a few percent of the pixels; a plain MSE is dominated by the background, which the
    model learns first and the objects last. The loss weights these cells up (--fg-weight).
    """
    cy, cx = np.mgrid[0:h_lat, 0:w_lat].astype(np.float32) * cell + cell / 2     # cell centres, pixels
    out = np.zeros((t_frames, h_lat, w_lat), np.float32)
    for obj in truth["objects"]:
        for f in range(t_frames):
            if obj["visible"][f] < 0.05:
                continue
            near = np.hypot(cx - obj["x"][f], cy - obj["y"][f]) < obj["r"][f] * 1.2 + cell / 2
            out[f][near] = 1.0
    return out


@dataclass(frozen=True)
class LatentLayout:
    """How a VAE maps frames to latents, for rendering batches without the VAE (in data workers)."""
    video: bool              # v2's VideoVAE (frames first, causal in time) or v1's per-frame VAE
    space_factor: int
    time_factor: int

    @staticmethod
    def of(vae) -> "LatentLayout":
        if isinstance(vae, VideoVAE):
            return LatentLayout(True, vae.cfg.space_factor, vae.cfg.time_factor)
        return LatentLayout(False, 8, 1)


@dataclass(frozen=True)
class Recipe:
    """How DiT clips are drawn (v3's knobs; the defaults are v2's recipe).

    condition: "text" (a caption, tokenised) or "scene" (the scene's own tokens, scene_tokens).
    image_share: the share of one-latent-frame clips (stills), None for V2_LATENT_FRAME_PROBS.
    empty_share: the share of scenes drawn with no object (a background and a camera move).
    given_share: the share of clips with clean given frames, None for COND_PROBS (half).
    fixed_seeds: draw only these scenes, square, from their first frame (the memorisation check): as
      2-s clips, or as stills with image_share 1.
    part_dropout: the share of scene conditions with some parts left out (scene_tokens.drop_parts).
    """
    condition: str = "text"
    image_share: float | None = None
    empty_share: float = 0.0
    given_share: float | None = None
    fixed_seeds: tuple = ()
    part_dropout: float = 0.0


def latent_frames(rng, recipe: Recipe) -> int:
    probs = np.array(V2_LATENT_FRAME_PROBS, float)
    if recipe.image_share is not None:
        probs[1:] *= (1 - recipe.image_share) / probs[1:].sum()
        probs[0] = recipe.image_share
    return int(rng.choice(V2_LATENT_FRAME_CHOICES, p=probs))


def given_frames(rng, t_lat: int, recipe: Recipe) -> np.ndarray:
    if recipe.given_share is None:
        return condition_mask(rng, t_lat)
    mask = np.zeros(t_lat, bool)
    if t_lat >= 2 and rng.random() < recipe.given_share:
        while not mask.any():
            mask = condition_mask(rng, t_lat)     # redraw "none" so that the share is given_share
    return mask


def draw_scene(rng, recipe: Recipe, split: str) -> dict:
    if recipe.fixed_seeds:
        return world.sample_scene(int(rng.choice(recipe.fixed_seeds)), split=split)
    scene = world.sample_scene(int(rng.integers(2**62)), split=split)
    if recipe.empty_share and rng.random() < recipe.empty_share:
        scene = {**scene, "objects": [], "occlusion": False}
        if scene["background"]["kind"] in ("day", "night") and scene["camera"] == "static" and rng.random() < 0.5:
            scene["camera"] = str(rng.choice(world.CAMERAS[1:]))   # an empty scene is mostly its camera move
    return scene


def render_dit_batch(rng, layout: LatentLayout, tok, batch_tokens: int, max_batch: int, caption_dropout: float,
                     patch: int = 2, split: str = "train", recipe: Recipe = Recipe()) -> dict:
    """The CPU half of a DiT batch, one shape: videos uint8 [B, T, H, W, 3], condition ids ([B, L]
    caption ids, or [B, TOKENS, FIELDS] scene ids), condition mask [B, t] and object cells
    [B, t, h, w] (see object_cells). v1 (per-frame VAE): t = T frames. v2 (VideoVAE): a clip of
    1 + f*(t-1) frames codes to t latent frames, and the masks are over latent frames."""
    fixed = bool(recipe.fixed_seeds)
    aspect = "1:1" if fixed else str(rng.choice(list(ASPECT_PROBS), p=list(ASPECT_PROBS.values())))
    w, h = world.ASPECTS[aspect]
    cell, tf = layout.space_factor, layout.time_factor
    if layout.video:
        # the memorisation check draws its clips whole (2 s), or stills only when asked (image_share 1)
        t_lat = V2_LATENT_FRAME_CHOICES[-1] if fixed and recipe.image_share != 1.0 else latent_frames(rng, recipe)
        t_frames = 1 + tf * (t_lat - 1)
    else:
        t_frames = t_lat = int(rng.choice(FRAME_CHOICES, p=FRAME_PROBS))
    h_lat, w_lat = h // cell, w // cell
    tokens = t_lat * (h_lat // patch) * (w_lat // patch)
    b = int(max(1, min(max_batch, batch_tokens // tokens)))
    videos, conds, masks, cells = [], [], [], []
    for _ in range(b):
        scene = draw_scene(rng, recipe, split)
        start = 0 if fixed or not layout.video else int(rng.integers(0, 8))
        video, truth = world.render(scene, w, h, t_frames, start_frame=start)
        videos.append(video)
        cells.append(latent_frame_cells(object_cells(truth, t_frames, h_lat, w_lat, cell), tf))
        dropped = rng.random() < caption_dropout
        # the caption's phrasing draws from a generator of its own, so that a text batch and a scene
        # batch from the same seed hold the same clips (val_loss.py compares the two kinds on them)
        phrasing = np.random.default_rng(int(rng.integers(2**62)))
        if recipe.condition == "scene":
            ids = scene_tokens.scene_ids(None if dropped else scene)
            if not dropped and recipe.part_dropout and rng.random() < recipe.part_dropout:
                ids = scene_tokens.drop_parts(ids, rng)
            conds.append(ids)
        else:
            conds.append("" if dropped else captions.caption(scene, phrasing))
        masks.append(np.zeros(t_lat, bool) if fixed else given_frames(rng, t_lat, recipe))
    ids = np.stack(conds) if recipe.condition == "scene" else tok.batch(conds)
    return {"videos": np.stack(videos), "ids": ids, "cond": np.stack(masks), "cells": np.stack(cells)}


def encode_dit_batch(vae, batch: dict, device):
    """The device half: latents [B, C, t, h, w] of the rendered videos, and the rest as tensors."""
    x = video_to_frames(np.asarray(batch["videos"])).to(device)             # [B, T, 3, H, W]
    b, t_frames = x.shape[:2]
    with torch.no_grad():
        if isinstance(vae, VideoVAE):
            z = vae.encode(x).permute(0, 2, 1, 3, 4).contiguous()          # [B, C, t, h, w]
        else:
            z = vae.encode(x.flatten(0, 1))                               # [B*T, C, h, w]
            z = z.view(b, t_frames, *z.shape[1:]).permute(0, 2, 1, 3, 4).contiguous()   # [B, C, T, h, w]
    as_tensor = lambda a: torch.as_tensor(np.asarray(a)).to(device)
    return z, as_tensor(batch["ids"]), as_tensor(batch["cond"]), as_tensor(batch["cells"])


def dit_batch(rng, vae, tok, batch_tokens: int, max_batch: int, caption_dropout: float, device, patch: int = 2):
    """One batch, rendered and encoded here: latents [B, C, t, h, w], ids [B, L], cond [B, t], cells [B, t, h, w]."""
    raw = render_dit_batch(rng, LatentLayout.of(vae), tok, batch_tokens, max_batch, caption_dropout, patch)
    return encode_dit_batch(vae, raw, device)


class RenderedBatches(torch.utils.data.IterableDataset):
    """Endless batches from make(rng), each worker with its own seeds: with --workers N, rendering
    runs in N processes beside the training loop (what feeds a GPU; a 2-core CPU run keeps N = 0)."""

    def __init__(self, make, seed: list):
        self.make, self.seed = make, seed

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        worker, k = (info.id if info else 0), 0
        while True:
            yield self.make(np.random.default_rng([*self.seed, worker, k]))
            k += 1


def batch_stream(make, args, rank: int, step: int):
    """Batches from make(rng): in this process (args.workers == 0, deterministic in the step, as
    before) or from args.workers data workers."""
    if not args.workers:
        while True:
            yield make(np.random.default_rng([args.seed, rank, step]))
            step += 1
    loader = torch.utils.data.DataLoader(RenderedBatches(make, [args.seed, rank, step]), batch_size=None,
                                         num_workers=args.workers, prefetch_factor=4, persistent_workers=True)
    yield from loader


def latent_frame_cells(cells: np.ndarray, time_factor: int) -> np.ndarray:
    """Per-frame object cells [T, h, w] -> per latent frame [t, h, w]: latent frame 0 is frame 0,
    latent frame j >= 1 covers frames f*(j-1)+1 .. f*j (a cell counts if an object is there in any)."""
    if time_factor == 1:
        return cells
    groups = [cells[:1]] + [cells[1 + time_factor * j: 1 + time_factor * (j + 1)] for j in range((len(cells) - 1) // time_factor)]
    return np.stack([g.max(axis=0) for g in groups])
