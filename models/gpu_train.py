"""Resume the chosen recipe (v2's VideoVAE, v3's DiT) on one CUDA GPU for a few minutes (a borrowed H200: PyTorch 2.x, no
Node, files of at most 16 MiB come back) and leave everything needed to continue in --out.

  python3 models/gpu_train.py --stage video_vae --out "$OUT" --minutes 9
  python3 models/gpu_train.py --stage dit_v3 --out "$OUT" --minutes 9                     # v3: the scene-reading DiT
  /usr/bin/python3 models/gpu_train.py --stage dit_v3 --out /tmp/g --minutes 0.2 --device cpu --tiny   # the CPU path

What it does:
  1. starts from the committed checkpoint of the stage (RECIPES[stage]["resume"]), or from --out's
     own run when it already holds one (a second call continues the first);
  2. on CUDA, finds the largest batch that fits: doubles it on synthetic data of the largest clip
     shape, forward and backward in bf16, until it runs out of memory, and keeps half the first
     size that failed (headroom for the shapes that vary);
  3. trains with train.py (bf16 autocast, rendering in cpu_count - 1 data workers: a GPU eats clips
     faster than one core renders them) for --minutes of wall time;
  4. writes --out/run/log.csv, --out/run/last.pt (model, EMA, optimiser; in parts of at most 15 MiB)
     and --out/slim.pt (EMA weights only, what models/checkpoints/ keeps; in parts if larger),
     plus --out/gpu_run.json (batch, clips seen, clips/s).
Bring the files back and copy slim.pt (or its parts) over the stage's checkpoint in
models/checkpoints/ to commit it; --out/run resumes as it is.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train                                                              # noqa: E402
from kinora import captions, checkpoint, scene_tokens                    # noqa: E402
from kinora.generator import CONFIGS, Generator                          # noqa: E402
from kinora.video_vae import VIDEO_VAE_CONFIGS, VideoVAE, load_vae      # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SHARD_MIB = 15
# The chosen v2 recipe (model card, "v2"); paths are relative to models/. A 9-minute run makes
# about a thousand large steps: an EMA of 0.995 (a window of ~200 steps) keeps up with it, where
# 0.999 would still hold the first weights (the model card's pitfall).
RECIPES = {
    "video_vae": {"resume": "checkpoints/v2/video_vae.pt", "vae_config": "t4s4",
                  "args": ["--lr", "1e-3", "--warmup", "100", "--ema", "0.995", "--fg-weight", "4", "--edge-weight", "0.5"]},
    # v2's text-reading DiT is retired (its last checkpoint is in git history: models/README.md, "v3");
    # the DiT stage is now v3's.
    # v3: the DiT reads the scene's tokens (model card, "v3"); it resumes the committed v3 checkpoint,
    # or, without one, starts from an --init DiT when that file is there (every DiT weight but the
    # condition path), else from scratch
    "dit_v3": {"resume": "checkpoints/v3/dit.pt", "init": "checkpoints/v2/dit.pt", "vae": "checkpoints/v2/video_vae.pt",
               "config": "small",
               "args": ["--condition", "scene", "--lr", "8e-4", "--warmup", "200", "--ema", "0.995", "--fg-weight", "4",
                        "--pooled-text", "1", "--patch", "2", "--t-shift", "3", "--image-share", "0.3", "--empty-share", "0.1",
                        "--given-share", "0.2", "--part-dropout", "0.1"]},
}
TINY = {"video_vae": {"vae_config": "tiny"}, "dit_v3": {"config": "tiny", "init": None}}


def largest_batch(fits, start: int, limit: int) -> int:
    """The largest power-of-two multiple of start (up to limit) for which fits(n) holds, halved
    once for headroom; start when even that fails."""
    n, good = start, None
    while n <= limit:
        try:
            fits(n)
            good = n
        except torch.cuda.OutOfMemoryError:
            break
        finally:
            torch.cuda.empty_cache()
        n *= 2
    return max(start, (good or start) // 2)


def dit_fits(gen, vae_cfg, device):
    def run(tokens: int):
        h, w = 64 // vae_cfg.space_factor, 112 // vae_cfg.space_factor              # the 16:9 grid
        per_clip = 5 * (h // gen.cfg.patch) * (w // gen.cfg.patch)
        b = max(1, tokens // per_clip)
        z = torch.randn(b, vae_cfg.latent_channels, 5, h, w, device=device)
        if gen.cfg.condition == "scene":
            ids = torch.randint(1, len(scene_tokens.VOCAB), (b, scene_tokens.TOKENS, scene_tokens.FIELDS), device=device)
        else:
            ids = torch.randint(1, 50, (b, captions.MAX_TOKENS), device=device)
        with torch.autocast("cuda", dtype=torch.bfloat16):
            gen(z, torch.rand(b, 5, device=device), ids).float().pow(2).mean().backward()
        torch.cuda.synchronize()
        gen.zero_grad(set_to_none=True)
    return run


def vae_fits(vae, device):
    def run(frames: int):
        b = max(1, frames // 9)
        x = torch.rand(b, 9, 3, 64, 112, device=device) * 2 - 1
        target = torch.rand(b, 9, 3, 128 * vae.cfg.upsample // 2, 224 * vae.cfg.upsample // 2, device=device) * 2 - 1
        with torch.autocast("cuda", dtype=torch.bfloat16):
            vae(x, target, None, 0.5)[0].backward()
        torch.cuda.synchronize()
        vae.zero_grad(set_to_none=True)
    return run


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--stage", choices=list(RECIPES), required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--minutes", type=float, default=9.0, help="wall time of training (the probe and saving come on top)")
    p.add_argument("--device", default="cuda")
    p.add_argument("--workers", type=int, default=max(0, (os.cpu_count() or 1) - 1))
    p.add_argument("--resume", help="checkpoint to start from (default: the recipe's committed one)")
    p.add_argument("--vae", help="stage dit: the frozen VideoVAE (default: the recipe's)")
    p.add_argument("--tiny", action="store_true", help="tiny configs and a fresh start: the CPU test of this script")
    args = p.parse_args(argv)
    recipe = dict(RECIPES[args.stage], **(TINY[args.stage] if args.tiny else {}))
    device = torch.device(args.device)
    run = os.path.join(args.out, "run")
    os.makedirs(run, exist_ok=True)
    ckpt = os.path.join(run, "last.pt")
    resume = args.resume or (None if args.tiny else os.path.join(HERE, recipe["resume"]))
    if not checkpoint.exists(ckpt) and resume and checkpoint.exists(resume):
        checkpoint.save(ckpt, checkpoint.load(resume), SHARD_MIB * 2**20)
        print(f"starting from {resume}", flush=True)
    before = checkpoint.load(ckpt) if checkpoint.exists(ckpt) else {}      # read once: its time and clips so far
    elapsed, samples_before = before.get("elapsed", 0.0), before.get("samples", 0)
    del before

    common = ["--run", run, "--device", args.device, "--workers", str(args.workers), "--shard-mib", str(SHARD_MIB),
              "--minutes", str(elapsed / 60 + args.minutes), "--log-every", "20", "--ckpt-every", "200", "--threads", "1"]
    if device.type == "cuda":
        common.append("--bf16")
    if args.stage == "video_vae":
        cfg = VIDEO_VAE_CONFIGS[recipe["vae_config"]]()
        batch = 18
        if device.type == "cuda":
            batch = largest_batch(vae_fits(VideoVAE(cfg).to(device), device), 18, 4096)
        argv_train = ["--stage", "video_vae", "--vae-config", recipe["vae_config"], "--batch", str(batch), *common, *recipe["args"]]
        probe = {"frames_per_step": batch}
    else:
        vae_path = args.vae or os.path.join(HERE, recipe["vae"])
        if args.tiny and not args.vae:
            vae_path = os.path.join(args.out, "tiny_vae.pt")        # a fresh tiny VideoVAE to encode with
            tiny_cfg = VIDEO_VAE_CONFIGS["tiny"]()
            checkpoint.save(vae_path, {"model": VideoVAE(tiny_cfg).state_dict(), "config": tiny_cfg.__dict__, "kind": "video_vae"})
        vae, _ = load_vae(vae_path)
        tokens = 1024
        scene = "--condition" in recipe["args"]
        if device.type == "cuda":
            gen = Generator(CONFIGS[recipe["config"]](vocab_size=len(captions.Tokenizer()), latent_channels=vae.cfg.latent_channels,
                                                      pooled_text=True, condition="scene" if scene else "text")).to(device)
            tokens = largest_batch(dit_fits(gen, vae.cfg, device.type), 1024, 2**21)
            del gen
        init_path = os.path.join(HERE, recipe["init"]) if recipe.get("init") else None
        init = ["--init", init_path] if init_path and not checkpoint.exists(ckpt) and checkpoint.exists(init_path) else []
        argv_train = ["--stage", "dit", "--config", recipe["config"], "--vae", vae_path, "--batch-tokens", str(tokens),
                      "--batch", str(max(16, tokens // 64)), *common, *init, *recipe["args"]]
        probe = {"batch_tokens": tokens}
    print("train.py " + " ".join(argv_train), flush=True)
    t0 = time.time()
    train.main(argv_train)
    ck = checkpoint.load(ckpt)
    slim = {k: v for k, v in ck.items() if k not in ("opt", "model")}
    slim["model"] = ck["ema"]                               # what is evaluated and exported
    written = checkpoint.save(os.path.join(args.out, "slim.pt"), slim, SHARD_MIB * 2**20)
    report = {"stage": args.stage, "device": str(device), "gpu": torch.cuda.get_device_name() if device.type == "cuda" else None,
              **probe, "steps": ck["step"], "samples_this_run": ck["samples"] - samples_before,
              "seconds": round(time.time() - t0, 1), "slim_files": [os.path.basename(w) for w in written],
              "command": argv_train}
    report["samples_per_s"] = round(report["samples_this_run"] / max(report["seconds"], 1e-6), 1)
    with open(os.path.join(args.out, "gpu_run.json"), "w") as f:
        json.dump(report, f, indent=1)
    shutil.copy(os.path.join(run, "log.csv"), os.path.join(args.out, "log.csv"))
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
