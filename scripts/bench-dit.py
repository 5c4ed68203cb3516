"""PyTorch side of the model benchmark (scripts/bench-model.ts spawns it with /usr/bin/python3).

Builds the DiT of models/kinora/dit.py from a shipped model's manifest and dit.safetensors (the
fp16 weights, widened to f32, exactly what the browser runs), then times on this CPU, for each
thread count: one forward at the given shape (median of --reps after one warm-up), and a whole
guided Euler denoising loop of --steps steps (cond + uncond batched, as the site samples).
Prints one JSON object on stdout. Not a test: nothing is asserted.

  /usr/bin/python3 scripts/bench-dit.py --model-dir tests/fixtures/models/tiny --threads 1,2 --reps 5 \
      --batch 2 --frames 16 --height 8 --width 8 --steps 16
"""
from __future__ import annotations

import argparse
import json
import re
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "models"))

import torch  # noqa: E402

from models.export import read_safetensors  # noqa: E402
from models.kinora.dit import DiT  # noqa: E402


def build(model_dir: str) -> tuple:
    with open(os.path.join(model_dir, "manifest.json")) as f:
        manifest = json.load(f)
    a = manifest["architecture"]["dit"]
    dit = DiT(latent_channels=a["latent_channels"], d=a["width"], depth=a["depth"], heads=a["heads"], d_text=a["text_width"])
    tensors, _ = read_safetensors(os.path.join(model_dir, "dit.safetensors"))
    dit.load_state_dict({k: v.float() for k, v in tensors.items()}, strict=True)
    dit.eval()
    return dit, manifest


def median_ms(fn, reps: int) -> tuple:
    fn()  # warm-up
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times), times


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--model-dir", required=True)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--batch", type=int, default=2)
    p.add_argument("--frames", type=int, default=16)
    p.add_argument("--height", type=int, default=8)
    p.add_argument("--width", type=int, default=8)
    p.add_argument("--steps", type=int, default=16)
    p.add_argument("--guidance", type=float, default=3.0)
    args = p.parse_args()

    dit, manifest = build(args.model_dir)
    a = manifest["architecture"]["dit"]
    g = torch.Generator().manual_seed(0)
    B, C, T, H, W = args.batch, a["latent_channels"], args.frames, args.height, args.width
    L = manifest["architecture"]["text_encoder"]["max_tokens"]
    x = torch.randn(B, C, T, H, W, generator=g)
    t = torch.rand(B, T, generator=g)
    text = torch.randn(B, L, a["text_width"], generator=g)
    mask = torch.zeros(B, L)
    mask[0, :6] = 1.0  # a 6-word prompt, then the empty caption (as guidance batches them)

    def forward():
        with torch.no_grad():
            dit(x, t, text, mask)

    def denoise():
        # The sampler of docs/model-format.md, shift 1: Euler on v with classifier-free guidance.
        with torch.no_grad():
            z = torch.randn(1, C, T, H, W, generator=torch.Generator().manual_seed(1))
            ts = [1 - i / args.steps for i in range(args.steps + 1)]
            for i in range(args.steps):
                v = dit(z.expand(2, -1, -1, -1, -1), torch.full((2, T), ts[i]), text, mask)
                v = v[1:] + args.guidance * (v[:1] - v[1:])
                z = z + (ts[i + 1] - ts[i]) * v

    results = []
    for n in [int(s) for s in args.threads.split(",")]:
        torch.set_num_threads(n)
        fwd, fwd_all = median_ms(forward, args.reps)
        den, den_all = median_ms(denoise, max(1, min(2, args.reps)))
        results.append({"threads": n, "forward_ms": fwd, "forward_all_ms": fwd_all, "denoise_ms": den, "denoise_all_ms": den_all})
    print(json.dumps({
        "torch": torch.__version__,
        "blas": ", ".join(re.findall(r"BLAS_INFO=[^,]*|USE_MKLDNN=[^,]*|USE_OPENMP=[^,]*", torch.__config__.show())),
        "shape": [B, C, T, H, W], "steps": args.steps, "results": results,
    }))


if __name__ == "__main__":
    main()
