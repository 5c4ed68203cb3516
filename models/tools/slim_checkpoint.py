"""Copy a run checkpoint without its optimiser state, small enough to commit. train.py resumes from
it with a fresh optimiser (and a fresh warmup):

  /usr/bin/python3 models/tools/slim_checkpoint.py models/runs/small/last.pt models/checkpoints/small.pt [--vae-path P]   # v1 (retired from the tree)
  /usr/bin/python3 models/tools/slim_checkpoint.py RUN/last.pt models/checkpoints/v2/dit.pt --ema-only --fp16

--ema-only keeps the EMA weights as both the model and its EMA (one copy on disk: torch.save stores
a shared tensor once), --fp16 stores floating-point weights in half precision (loaded back as
float32 by the trainers); together a quarter of the size. A run's parts (last.pt.000, ...) are read too.
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from kinora import checkpoint  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("src")
p.add_argument("dst")
p.add_argument("--vae-path", help="rewrite the DiT checkpoint's VAE path (e.g. to the committed VAE)")
p.add_argument("--ema-only", action="store_true")
p.add_argument("--fp16", action="store_true")
a = p.parse_args()
ck = checkpoint.load(a.src)
ck.pop("opt", None)
if a.vae_path:
    ck["vae"] = a.vae_path
if a.ema_only and "ema" in ck:
    ck["model"] = ck["ema"]
if a.fp16:
    half = {k: v.half() if v.is_floating_point() else v for k, v in ck["model"].items()}
    ck["model"] = half
    if "ema" in ck:
        ck["ema"] = half if a.ema_only else {k: v.half() if v.is_floating_point() else v for k, v in ck["ema"].items()}
    ck["stored_fp16"] = True
os.makedirs(os.path.dirname(os.path.abspath(a.dst)), exist_ok=True)
checkpoint.save(a.dst, ck)
print(f"{a.dst}: {os.path.getsize(a.dst) / 2**20:.1f} MiB")
