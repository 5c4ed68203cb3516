"""Copy a run checkpoint without its optimiser state (and, for the DiT, with fp32 model + EMA only),
small enough to commit. train.py resumes from it with a fresh optimiser:

  /usr/bin/python3 models/tools/slim_checkpoint.py models/runs/small/last.pt models/checkpoints/small.pt [--vae-path P]
"""
import argparse

import torch

p = argparse.ArgumentParser()
p.add_argument("src")
p.add_argument("dst")
p.add_argument("--vae-path", help="rewrite the DiT checkpoint's VAE path (e.g. to the committed VAE)")
a = p.parse_args()
ck = torch.load(a.src, map_location="cpu")
ck.pop("opt", None)
if a.vae_path:
    ck["vae"] = a.vae_path
torch.save(ck, a.dst)
