"""Evaluate a trained model on the fixed prompt suite with the scorer (kinora/scorer.py).

  /usr/bin/python3 models/eval.py --ckpt models/runs/small/last.pt --out models/runs/small/eval.json \
      [--grid models/assets/samples.png] [--steps 16 4]

For each sampler setting (the many-step teacher, and the few-step setting) it generates every suite
prompt at 64x64, 16 frames, and scores it against the prompt's ground truth. It also scores the
ground-truth renders of the same prompts, uniform noise and the right background with no object (the
scorer's own ceiling and two floors: the second is what a model that ignores the objects scores), and
measures the VAE's reconstruction PSNR on frames of held-out scenes.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kinora import captions, free_suite, scene_tokens, scorer, world                    # noqa: E402
from kinora.generator import load_generator                               # noqa: E402
from kinora.sampling import sample                                        # noqa: E402
from kinora.vae import frames_to_video                                    # noqa: E402
from kinora.video_vae import VideoVAE, load_vae                           # noqa: E402
from kinora.reconstruction import reconstruction_psnr, reconstruction_verdicts   # noqa: E402

SINGLE = [("red", "circle", "bounce"), ("blue", "square", "left"), ("yellow", "star", "right"),
          ("green", "triangle", "up"), ("orange", "diamond", "down"), ("pink", "circle", "fall"),
          ("purple", "square", "rotate"), ("white", "triangle", "grow"), ("gray", "star", "shrink"),
          ("black", "diamond", "orbit"), ("red", "square", "still"), ("yellow", "circle", "right"),
          ("blue", "circle", "left"), ("orange", "star", "bounce"), ("pink", "triangle", "fall"),
          ("green", "circle", "down")]
HELD_OUT = ([(c, s, m) for (c, s), m in zip(world.HELD_OUT_COLOUR_SHAPE, ["left", "bounce", "right", "fall", "up"])]
            + [(c, s, m) for c, (s, m) in zip(["orange", "pink", "white", "red"], world.HELD_OUT_SHAPE_MOTION)])
MULTI = [[("red", "circle", "left"), ("blue", "square", "still")], [("yellow", "star", "bounce"), ("purple", "circle", "right")],
         [("green", "square", "up"), ("orange", "triangle", "down"), ("pink", "circle", "still")]]
CAMERA = [("day", "pan_left", ("red", "circle", "still")), ("day", "pan_right", ("orange", "square", "still")),
          ("night", "zoom_in", ("yellow", "star", "still")), ("night", "zoom_out", ("pink", "circle", "still")),
          ("day", "static", ("purple", "triangle", "still"))]


def make_scene(objects, background: dict, camera: str, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    objs = [{"colour": c, "shape": s, "size": "medium" if len(objects) > 1 else "large", "motion": m, "speed": "slowly"}
            for c, s, m in objects]
    world._place(rng, objs, occlusion=False)
    return {"background": background, "camera": camera, "objects": objs, "occlusion": False, "seed": seed}


def prompt_suite() -> list:
    """[(group, scene, caption)]: a fixed list; captions are medium detail with fixed phrasing seeds."""
    plain = ["white", "black", "gray", "blue", "green"]
    suite = []
    for i, (c, s, m) in enumerate(SINGLE + HELD_OUT):
        group = "train" if i < len(SINGLE) else "heldout"
        bg_colour = next(b for b in plain[i % 5:] + plain if b != c)
        bg = {"kind": "plain", "colour": bg_colour} if i % 3 else {"kind": "gradient", "top": bg_colour,
                                                                   "bottom": next(b for b in plain if b not in (c, bg_colour))}
        suite.append((group, make_scene([(c, s, m)], bg, "static", 100 + i), None))
    for i, objs in enumerate(MULTI):
        suite.append(("multi", make_scene(objs, {"kind": "plain", "colour": "white"}, "static", 200 + i), None))
    for i, (kind, cam, obj) in enumerate(CAMERA):
        suite.append(("camera", make_scene([obj], {"kind": kind}, cam, 300 + i), None))
    out = []
    for j, (group, scene, _) in enumerate(suite):
        out.append((group, scene, captions.caption(scene, np.random.default_rng(j), detail=1)))
    return out


@torch.no_grad()
def condition_ids(gen, condition) -> torch.Tensor:
    """[1, ...] ids for what a generator reads: a caption (str) for text models, a scene dict (None:
    nothing to draw, the unconditional input) for v3's scene models."""
    if gen.cfg.condition == "scene":
        return torch.from_numpy(scene_tokens.batch_ids([condition]))
    return torch.from_numpy(captions.Tokenizer().batch([condition]))


@torch.no_grad()
def generate(gen, vae, condition, steps: int, guidance: float, seed: int, frames: int = 16, size=(64, 64),
             shift: float = 1.0) -> np.ndarray:
    """One video, uint8 [T, H, W, 3], from a caption (text models) or a scene dict (scene models):
    v1's VAE decodes each latent frame to a 64-px frame; v2's VideoVAE decodes t latent frames to
    1 + 4(t-1) frames at its output size (128 px)."""
    w, h = size
    ids = condition_ids(gen, condition)
    g = torch.Generator().manual_seed(seed)
    if isinstance(vae, VideoVAE):
        cfg = vae.cfg
        noise = torch.randn(1, cfg.latent_channels, cfg.latent_frames(frames), h // cfg.space_factor, w // cfg.space_factor, generator=g)
        lat = sample(gen, ids, noise, steps=steps, guidance=guidance, shift=shift)    # [1, C, t, h, w]
        return frames_to_video(vae.decode(lat.permute(0, 2, 1, 3, 4))[0])   # [T, H*up, W*up, 3]
    noise = torch.randn(1, vae.cfg.latent_channels, frames, h // 8, w // 8, generator=g)
    lat = sample(gen, ids, noise, steps=steps, guidance=guidance, shift=shift)        # [1, C, T, h, w]
    rgb = vae.decode(lat[0].permute(1, 0, 2, 3))                          # [T, 3, H, W]
    return frames_to_video(rgb)                                           # [T, H, W, 3]


def floor_verdicts(judged: list) -> tuple:
    """The scorer's two floors on [(group, scene, frames)]: uniform noise, and the asked background
    (and camera) with no object at all, what a model that ignores the objects scores. Each a list of
    (group, verdicts), as accuracy_table takes."""
    rng = np.random.default_rng(0)
    noise = [(g, scorer.score(rng.integers(0, 256, (n, 64, 64, 3), dtype=np.uint8), s)) for g, s, n in judged]
    background_only = [(g, scorer.score(world.render(dict(s, objects=[]), 64, 64, n)[0], s)) for g, s, n in judged]
    return noise, background_only


def accuracy_table(results: list) -> dict:
    table = {}
    for group in ("all", "train", "heldout", "multi", "camera"):
        rs = [r for g, r in results if group == "all" or g == group]
        table[group] = {k: v["accuracy"] for k, v in scorer.summarise(rs).items()}
    return table


def save_grid(path: str, rows: list, labels: list | None = None, every: int = 2, scale: int = 2) -> None:
    from PIL import Image
    strips = [np.concatenate(list(v[::every]), axis=1) for v in rows]
    grid = np.concatenate(strips, axis=0)
    Image.fromarray(grid).resize((grid.shape[1] * scale, grid.shape[0] * scale), Image.NEAREST).save(path)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ckpt", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--steps", type=int, nargs="*", default=[16, 4], help="teacher steps, then few-step settings (none: student only)")
    p.add_argument("--seeds", type=int, default=1, help="samples per prompt (seeds j, j + 1000, ...): more = less noisy accuracies")
    p.add_argument("--guidance", type=float, default=3.0)
    p.add_argument("--shift", type=float, default=1.0,
                   help="the teacher's time-schedule shift (>1: more steps at high noise; the manifest's sampler.shift)")
    p.add_argument("--grid", help="PNG: teacher samples (the student's without --steps) of the first prompts (every other frame)")
    p.add_argument("--student", help="a distilled checkpoint (distill.py): scored at its steps with guidance 1")
    p.add_argument("--student-steps", type=int, nargs="*", help="the student's step counts to score (default: its own)")
    p.add_argument("--weights", choices=["ema", "raw"], default="ema")
    p.add_argument("--vae", help="VAE checkpoint (default: the one the DiT was trained with)")
    p.add_argument("--suite", choices=["free", "classic"], help="prompt suite (default: free for v2, classic for v1)")
    p.add_argument("--raw-prompts", action="store_true",
                   help="free suite: feed the prompts as typed instead of the site's recaption of them (free_suite_captions.json)")
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    gen, ck = load_generator(args.ckpt, use_ema=args.weights == "ema")
    vae, _ = load_vae(args.vae or ck["vae"])
    # v2 (a VideoVAE) is judged on the free-phrasing suite at 1 + 4k frames, v1 on its classic suite
    suite_name = args.suite or ("free" if isinstance(vae, VideoVAE) else "classic")
    suite = free_suite.suite() if suite_name == "free" else prompt_suite()
    if suite_name == "free" and gen.cfg.condition == "scene":
        # what a scene model reads in the browser: the scene the site's recaption step reads
        suite = [(g, s, free_suite.site_scene(p)) for g, s, p in suite]
    elif suite_name == "free" and not args.raw_prompts:
        # what a text model reads in the browser: the site's recaption of each prompt
        suite = [(g, s, free_suite.site_caption(p)) for g, s, p in suite]
    frames = free_suite.FRAMES if isinstance(vae, VideoVAE) else 16
    # guidance applies to the teacher's runs only (a student samples with 1)
    report = {"suite_size": len(suite), "seeds": args.seeds, "guidance": args.guidance if args.steps else None, "shift": args.shift,
              "prompts": [c for _, _, c in suite]}
    seeds = [k * 1000 for k in range(args.seeds)]
    t0 = time.time()
    report["suite"] = suite_name
    report["vae_psnr_db"] = reconstruction_psnr(vae, frames)
    truth = [(g, scorer.score(world.render(s, 64, 64, frames)[0], s)) for g, s, _ in suite]
    noise, background_only = floor_verdicts([(g, s, frames) for g, s, _ in suite])
    recon = reconstruction_verdicts(vae, suite, frames)
    report["scorer_on_ground_truth"] = accuracy_table(truth)
    report["scorer_on_vae_reconstruction"] = accuracy_table(recon)
    report["scorer_on_noise"] = accuracy_table(noise)
    report["scorer_on_background_only"] = accuracy_table(background_only)
    grid_rows = []
    for steps in args.steps:
        results = []
        t1 = time.time()
        for k in seeds:
            for j, (group, scene, text) in enumerate(suite):
                video = generate(gen, vae, text, steps, args.guidance, seed=j + k, frames=frames, shift=args.shift)
                results.append((group, scorer.score(video, scene)))
                if steps == args.steps[0] and k == 0 and len(grid_rows) < 10 and j % 3 == 0:
                    grid_rows.append(video)
        report[f"steps_{steps}"] = accuracy_table(results)
        report[f"steps_{steps}_seconds_per_video"] = (time.time() - t1) / len(results)
    if args.student:
        student, sck = load_generator(args.student)
        for n in args.student_steps or [sck["distilled"]["steps"]]:
            t1 = time.time()
            results = []
            for k in seeds:
                for j, (group, scene, text) in enumerate(suite):
                    video = generate(student, vae, text, n, 1.0, seed=j + k, frames=frames)
                    results.append((group, scorer.score(video, scene)))
                    if not args.steps and k == 0 and len(grid_rows) < 10 and j % 3 == 0:
                        grid_rows.append(video)         # no teacher run: the grid shows the student
            report[f"student_{n}_steps"] = accuracy_table(results)
            report[f"student_{n}_steps_seconds_per_video"] = (time.time() - t1) / len(results)
        report["student"] = sck["distilled"]
    report["eval_seconds"] = time.time() - t0
    with open(args.out, "w") as f:
        json.dump(report, f, indent=1)
    if args.grid:
        save_grid(args.grid, grid_rows)
    print(json.dumps({k: v for k, v in report.items() if k != "prompts"}, indent=1))


if __name__ == "__main__":
    main()
