"""The ceiling a VAE sets on every model trained on its latents: the scorer on ground truth passed
through the VAE (encode, decode), on the free-phrasing suite's scenes, beside the scorer on the
renders themselves; plus reconstruction PSNR on random held-out scenes of every aspect.

  /usr/bin/python3 models/vae_ceiling.py --vae models/runs/vvae_t4s4/last.pt [--vae ...] --out ceiling.json

Each --vae is a v2 video VAE (train.py --stage video_vae) or a v1 per-frame VAE (--stage vae).
A video VAE reads 64-px frames and may draw larger ones (its `upsample`): it is scored at its own
output size against the scene, and its PSNR is measured against renders at that size. Prints a
markdown table (the model card's ceiling table).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kinora import free_suite, scorer, world                               # noqa: E402
from kinora.reconstruction import reconstruction_psnr, reconstruction_verdicts, vae_upsample   # noqa: E402
from kinora.video_vae import load_vae                                      # noqa: E402

ATTRS = ["colour", "shape", "direction", "physics", "count", "camera", "identity"]


def ceiling(vae, frames: int = free_suite.FRAMES) -> dict:
    summary = scorer.summarise([r for _, r in reconstruction_verdicts(vae, free_suite.suite(), frames)])
    return {"accuracy": {k: summary[k]["accuracy"] for k in ATTRS}, "n": {k: summary[k]["n"] for k in ATTRS},
            "psnr_db": reconstruction_psnr(vae, frames), "output_px": 64 * vae_upsample(vae)}


def ground_truth(size: int, frames: int = free_suite.FRAMES) -> dict:
    results = [scorer.score(world.render(s, size, size, frames)[0], s) for _, s, _ in free_suite.suite()]
    summary = scorer.summarise(results)
    return {"accuracy": {k: summary[k]["accuracy"] for k in ATTRS}, "n": {k: summary[k]["n"] for k in ATTRS}}


def table(rows: dict) -> str:
    pct = lambda v: "–" if v is None else f"{100 * v:.0f} %"
    lines = ["| setting | " + " | ".join(ATTRS) + " | PSNR |", "|---|" + "---|" * (len(ATTRS) + 1)]
    for name, r in rows.items():
        p = f"{r['psnr_db']:.1f} dB" if "psnr_db" in r else "–"
        lines.append(f"| {name} | " + " | ".join(pct(r["accuracy"][k]) for k in ATTRS) + f" | {p} |")
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--vae", action="append", default=[], help="a VAE checkpoint (repeat to compare)")
    p.add_argument("--name", action="append", default=[], help="a row name per --vae (default: the path)")
    p.add_argument("--out", required=True)
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    t0 = time.time()
    rows = {"ground-truth renders, 64 px": ground_truth(64), "ground-truth renders, 128 px": ground_truth(128)}
    for i, path in enumerate(args.vae):
        rows[args.name[i] if i < len(args.name) else path] = ceiling(load_vae(path)[0])
    with open(args.out, "w") as f:
        json.dump({"rows": rows, "suite_size": len(free_suite.PROMPTS), "frames": free_suite.FRAMES,
                   "seconds": time.time() - t0}, f, indent=1)
    print(table(rows))


if __name__ == "__main__":
    main()
