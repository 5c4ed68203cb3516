"""Training: the per-frame VAE first (stage `vae`), then the text encoder + DiT with flow matching
(stage `dit`) on latents of the frozen VAE; v2's causal VideoVAE is stage `video_vae`. Data is rendered
on the fly by kinora.world (kinora/data.py); the shared plumbing is kinora/training.py.

The same script runs on a CPU, one GPU, or many GPUs (torchrun starts one process per GPU; each
renders its own data from its own seeds, gradients are averaged by DistributedDataParallel):

  /usr/bin/python3 models/train.py --stage vae --run models/runs/vae --minutes 10 --threads 1
  /usr/bin/python3 models/train.py --stage dit --config small --vae models/runs/vae/last.pt --run models/runs/small --minutes 60
  torchrun --nproc_per_node 8 models/train.py --stage dit --config base --vae ... --run ... --device cuda

A run folder holds log.csv (one line per logged step), args.json and last.pt (everything needed to
resume: model, EMA, optimiser, step, samples seen, elapsed time). Running the same command again
resumes from last.pt.
"""
from __future__ import annotations

import argparse
import functools
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kinora import captions, checkpoint, training                       # noqa: E402
from kinora.data import (LatentLayout, Recipe, batch_stream, encode_dit_batch, render_dit_batch, vae_batch,   # noqa: E402
                         video_vae_batch)
from kinora.training import (CsvLog, autocast, dit_state, float_state, flow_matching_loss, learning_rate,  # noqa: E402
                             optimise, save, setup)
from kinora.vae import VAE, VAEConfig, VAE_S, VAE_S8, VAE_T                # noqa: E402
from kinora.video_vae import VIDEO_VAE_CONFIGS, VideoVAE, load_vae         # noqa: E402

VAE_CONFIGS = {"vae_s8": VAE_S8, "vae_s": VAE_S, "vae_t": VAE_T}

def edge_loss(vae, x, weight: float):
    """The VAE loss plus an L1 loss on horizontal and vertical differences (sharper edges)."""
    vae = vae.module if hasattr(vae, "module") else vae
    mean, logvar = vae.encoder(x)
    rec = vae.decoder(mean + torch.randn_like(mean) * torch.exp(0.5 * logvar))
    mse = F.mse_loss(rec, x)
    kl = 0.5 * (mean.pow(2) + logvar.exp() - 1 - logvar).mean()
    dx = lambda a: a[..., :, 1:] - a[..., :, :-1]
    dy = lambda a: a[..., 1:, :] - a[..., :-1, :]
    edges = (dx(rec) - dx(x)).abs().mean() + (dy(rec) - dy(x)).abs().mean()
    return mse + 0.5 * (rec - x).abs().mean() + vae.cfg.kl_weight * kl + weight * edges, mse, kl


# ----------------------------------------------------------------------------------------------
# Stages
# ----------------------------------------------------------------------------------------------

def train_vae(args, rank, world_size, device):
    cfg = VAE_CONFIGS[args.vae_config]()
    if args.decoder_only:
        # Sharpen the decoder of a VAE a DiT was trained with: the encoder and the latent
        # normalisation stay fixed, so the latent space (and the DiT) stay valid.
        init = checkpoint.load(args.vae)
        cfg = VAEConfig(**init["config"])
    vae = VAE(cfg).to(device)
    if args.decoder_only:
        vae.load_state_dict(init["model"])
        vae.encoder.requires_grad_(False)
    opt = torch.optim.AdamW([p for p in vae.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.0)
    ckpt_path = os.path.join(args.run, "last.pt")
    step, seen, elapsed = 0, 0, 0.0
    if checkpoint.exists(ckpt_path):
        ck = checkpoint.load(ckpt_path)
        vae.load_state_dict(ck["model"])
        if "opt" in ck:                               # slim checkpoints (models/checkpoints/) have none
            opt.load_state_dict(ck["opt"])
        step, seen, elapsed = ck["step"], ck["samples"], ck["elapsed"]
        print(f"resumed {ckpt_path} at step {step}", flush=True)
    model = torch.nn.parallel.DistributedDataParallel(vae) if world_size > 1 else vae
    log = CsvLog(os.path.join(args.run, "log.csv"), ["step", "samples", "seconds", "loss", "mse", "psnr_db", "kl", "lr"], rank == 0)
    t0 = time.time() - elapsed
    while step < args.steps and (time.time() - t0) < args.minutes * 60:
        rng = np.random.default_rng([args.seed, rank, step])
        x = vae_batch(rng, args.batch).to(device)
        lr = learning_rate(args, step, time.time() - t0)
        for g in opt.param_groups:
            g["lr"] = lr
        loss, mse, kl = model(x) if not args.edge_weight else edge_loss(model, x, args.edge_weight)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
        seen += x.shape[0] * world_size
        if step % args.log_every == 0 and rank == 0:
            mse_pix = mse.item() * (127.5 ** 2)
            log.write(step=step, samples=seen, seconds=round(time.time() - t0, 1), loss=loss.item(), mse=mse.item(),
                      psnr_db=10 * math.log10(255 ** 2 / max(mse_pix, 1e-10)), kl=kl.item(), lr=lr)
            print(f"vae step {step} frames {seen} loss {loss.item():.4f} {seen / (time.time() - t0):.1f} frames/s", flush=True)
        if rank == 0 and (step % args.ckpt_every == 0):
            save(ckpt_path, {"model": vae.state_dict(), "opt": opt.state_dict(), "step": step, "samples": seen,
                             "elapsed": time.time() - t0, "config": cfg.__dict__})
    if rank == 0:
        vae.eval()
        if not args.decoder_only:
            vae.fit_latent_norm(vae_batch(np.random.default_rng([args.seed, 999]), 512).to(device))
        save(ckpt_path, {"model": vae.state_dict(), "opt": opt.state_dict(), "step": step, "samples": seen,
                         "elapsed": time.time() - t0, "config": cfg.__dict__})
        print(f"vae done: {step} steps, {seen} frames, latent mean {vae.latent_mean.tolist()} std {vae.latent_std.tolist()}", flush=True)


def train_video_vae(args, rank, world_size, device):
    cfg = VIDEO_VAE_CONFIGS[args.vae_config]()
    vae = VideoVAE(cfg).to(device)
    opt = torch.optim.AdamW(vae.parameters(), lr=args.lr, weight_decay=0.0)
    ckpt_path = os.path.join(args.run, "last.pt")
    step, seen, elapsed, warm_from = 0, 0, 0.0, 0
    ema = {k: v.detach().clone() for k, v in vae.state_dict().items()}
    if checkpoint.exists(ckpt_path):
        ck = checkpoint.load(ckpt_path)
        vae.load_state_dict(ck["model"])
        ema = float_state(ck.get("ema", ema))
        step, seen, elapsed = ck["step"], ck["samples"], ck["elapsed"]
        if "opt" in ck:
            opt.load_state_dict(ck["opt"])
        else:
            warm_from = step          # a committed (optimiser-free) checkpoint: fresh Adam moments warm up again
        print(f"resumed {ckpt_path} at step {step}", flush=True)
    model = torch.nn.parallel.DistributedDataParallel(vae) if world_size > 1 else vae
    if rank == 0:
        print(f"video vae {args.vae_config}: {sum(p.numel() for p in vae.parameters()) / 1e6:.2f}M parameters ({cfg})", flush=True)
    log = CsvLog(os.path.join(args.run, "log.csv"), ["step", "samples", "seconds", "loss", "mse", "psnr_db", "kl", "lr"], rank == 0)
    t0 = time.time() - elapsed
    state = lambda: {"model": vae.state_dict(), "ema": ema, "opt": opt.state_dict(), "step": step, "samples": seen,
                     "elapsed": time.time() - t0, "config": cfg.__dict__, "kind": "video_vae", "config_name": args.vae_config}
    batches = batch_stream(functools.partial(video_vae_batch, n_frames=args.batch, cfg=cfg, fg_weight=args.fg_weight),
                           args, rank, step)
    while step < args.steps and (time.time() - t0) < args.minutes * 60:
        x, target, weight = (a.to(device, non_blocking=True) for a in next(batches))
        lr = learning_rate(args, step, time.time() - t0, warm_from)
        with autocast(args, device):
            loss, mse, kl = model(x, target, weight, args.edge_weight)
        optimise(opt, loss, vae, lr, ema, args.ema if step > args.warmup else 0.0)
        step += 1
        seen += x.shape[0] * x.shape[1] * world_size
        if step % args.log_every == 0 and rank == 0:
            mse_pix = mse.item() * (127.5 ** 2)
            log.write(step=step, samples=seen, seconds=round(time.time() - t0, 1), loss=loss.item(), mse=mse.item(),
                      psnr_db=10 * math.log10(255 ** 2 / max(mse_pix, 1e-10)), kl=kl.item(), lr=lr)
            print(f"video vae step {step} frames {seen} loss {loss.item():.4f} psnr {10 * math.log10(255 ** 2 / max(mse_pix, 1e-10)):.2f} "
                  f"{seen / (time.time() - t0):.1f} frames/s", flush=True)
        if rank == 0 and step % args.ckpt_every == 0:
            save(ckpt_path, state())
    if rank == 0:
        # Latent statistics for the raw weights and for the EMA weights (what is evaluated and
        # exported), each fitted with its own encoder. The raw weights stay in "model": a resumed
        # run continues from them, not from the average.
        x, _, _ = video_vae_batch(np.random.default_rng([args.seed, 999]), 256, cfg, 0.0)
        vae.eval()
        vae.fit_latent_norm(x.to(device))
        averaged = VideoVAE(cfg).to(device).eval()
        averaged.load_state_dict(ema)
        averaged.fit_latent_norm(x.to(device))
        ema = {k: v.detach().clone() for k, v in averaged.state_dict().items()}
        save(ckpt_path, state())
        print(f"video vae done: {step} steps, {seen} frames, latent std (EMA) {averaged.latent_std.tolist()}", flush=True)


def warm_start(gen, path: str, rank: int):
    """Start from another generator's DiT (v3 from v2): every DiT weight whose name and shape match is
    copied; the condition path (text encoder or scene table) stays as initialised."""
    source = checkpoint.load(path)
    weights = float_state(source.get("ema") or source["model"])
    own = gen.state_dict()
    taken = {k: v for k, v in weights.items() if k.startswith("dit.") and k in own and own[k].shape == v.shape}
    gen.load_state_dict(taken, strict=False)
    if rank == 0:
        skipped = sorted(k for k in own if k.startswith("dit.") and k not in taken)
        print(f"warm start from {path}: {len(taken)} DiT tensors copied, {len(skipped)} left new {skipped[:6]}", flush=True)


def train_dit(args, rank, world_size, device):
    from kinora.generator import Generator, CONFIGS
    vae = load_vae(args.vae, device)[0]
    tok = captions.Tokenizer()
    cfg = CONFIGS[args.config](vocab_size=len(tok), latent_channels=vae.cfg.latent_channels)
    if args.patch:
        cfg.patch = args.patch
    if args.pooled_text is not None:
        cfg.pooled_text = bool(args.pooled_text)
    cfg.condition = args.condition
    gen = Generator(cfg).to(device)
    if args.init and not checkpoint.exists(os.path.join(args.run, "last.pt")):
        warm_start(gen, args.init, rank)
    ema = {k: v.detach().clone() for k, v in gen.state_dict().items()}
    opt = torch.optim.AdamW(gen.parameters(), lr=args.lr, weight_decay=0.0, betas=(0.9, 0.99))
    ckpt_path = os.path.join(args.run, "last.pt")
    step, seen, elapsed, warm_from = 0, 0, 0.0, 0
    if checkpoint.exists(ckpt_path):
        ck = checkpoint.load(ckpt_path)
        gen.load_state_dict(ck["model"])
        ema = float_state(ck["ema"])
        step, seen, elapsed = ck["step"], ck["samples"], ck["elapsed"]
        if "opt" in ck:
            opt.load_state_dict(ck["opt"])
            warm_from = ck.get("warm_from", 0)
        else:
            warm_from = step
        print(f"resumed {ckpt_path} at step {step}", flush=True)
    model = torch.nn.parallel.DistributedDataParallel(gen) if world_size > 1 else gen
    n_params = sum(p.numel() for p in gen.parameters())
    if rank == 0:
        print(f"config {args.config}: {n_params / 1e6:.2f}M parameters ({cfg})", flush=True)
    log = CsvLog(os.path.join(args.run, "log.csv"), ["step", "samples", "seconds", "loss", "loss_ema", "lr", "samples_per_s"], rank == 0)
    t0 = time.time() - elapsed
    loss_ema = None
    t_last, seen_last = time.time(), seen
    gen_t = torch.Generator().manual_seed(args.seed * 1000003 + rank * 7919 + step)
    recipe = Recipe(condition=args.condition, image_share=args.image_share, empty_share=args.empty_share,
                    given_share=args.given_share, fixed_seeds=tuple(range(1, args.fixed_scenes + 1)),
                    part_dropout=args.part_dropout)
    batches = batch_stream(functools.partial(render_dit_batch, layout=LatentLayout.of(vae), tok=tok, batch_tokens=args.batch_tokens,
                                             max_batch=args.batch, caption_dropout=args.caption_dropout, patch=cfg.patch,
                                             recipe=recipe),
                           args, rank, step)
    while step < args.steps and (time.time() - t0) < args.minutes * 60:
        z, ids, cond, fg = encode_dit_batch(vae, next(batches), device)
        lr = learning_rate(args, step, time.time() - t0, warm_from)
        with autocast(args, device):
            loss = flow_matching_loss(model, z, ids, cond, gen_t, fg, args.fg_weight, args.t_shift)
        optimise(opt, loss, gen, lr, ema, args.ema if step > args.warmup else 0.0)
        step += 1
        seen += z.shape[0] * world_size
        loss_ema = loss.item() if loss_ema is None else 0.98 * loss_ema + 0.02 * loss.item()
        if step % args.log_every == 0 and rank == 0:
            rate = (seen - seen_last) / max(time.time() - t_last, 1e-6)
            t_last, seen_last = time.time(), seen
            log.write(step=step, samples=seen, seconds=round(time.time() - t0, 1), loss=loss.item(), loss_ema=loss_ema,
                      lr=lr, samples_per_s=rate)
            print(f"dit step {step} samples {seen} loss {loss.item():.4f} (avg {loss_ema:.4f}) {rate:.2f} samples/s", flush=True)
        if rank == 0 and step % args.ckpt_every == 0:
            save(ckpt_path, dit_state(gen, ema, opt, step, seen, t0, args, cfg, warm_from))
    if rank == 0:
        save(ckpt_path, dit_state(gen, ema, opt, step, seen, t0, args, cfg, warm_from))
        print(f"dit done: {step} steps, {seen} samples, {time.time() - t0:.0f} s", flush=True)
    return gen


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--stage", choices=["vae", "video_vae", "dit"], required=True)
    p.add_argument("--run", required=True, help="run folder: log.csv, last.pt (resumed when present)")
    p.add_argument("--config", default="tiny", help="DiT config: tiny, small, base")
    p.add_argument("--vae-config", default=None, help=f"stage vae: {list(VAE_CONFIGS)}; stage video_vae: {list(VIDEO_VAE_CONFIGS)}")
    p.add_argument("--vae", help="VAE checkpoint (stage dit; stage vae with --decoder-only: the one to start from)")
    p.add_argument("--decoder-only", action="store_true", help="stage vae: fine-tune only the decoder of --vae")
    p.add_argument("--edge-weight", type=float, default=0.0, help="stage vae: weight of an L1 loss on image gradients")
    p.add_argument("--steps", type=int, default=10**9)
    p.add_argument("--minutes", type=float, default=10**6, help="stop after this much training time (resumes count)")
    p.add_argument("--batch", type=int, default=32, help="frames per step (vae) / max clips per step (dit)")
    p.add_argument("--batch-tokens", type=int, default=1024, help="DiT tokens per step; sets the clips per step")
    p.add_argument("--lr", type=float, default=None)
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--cosine", action="store_true", help="decay the learning rate over the --minutes budget")
    p.add_argument("--ema", type=float, default=0.999)
    p.add_argument("--caption-dropout", type=float, default=0.1)
    p.add_argument("--fg-weight", type=float, default=0.0,
                   help="stage dit: extra loss weight on latent cells covered by objects (object_cells)")
    p.add_argument("--patch", type=int, help="stage dit: the DiT's patch side (default: the config's)")
    p.add_argument("--pooled-text", type=int, choices=[0, 1], default=None,
                   help="stage dit: 1 adds the pooled caption to adaLN's conditioning (default: the config's)")
    p.add_argument("--condition", choices=["text", "scene"], default="text",
                   help="stage dit: what the DiT reads: a caption through a text encoder (v1, v2) or the scene's tokens (v3)")
    p.add_argument("--init", help="stage dit: a generator checkpoint whose DiT weights start a new run (v3 from v2)")
    p.add_argument("--image-share", type=float, help="stage dit: share of still images (one latent frame) among clips")
    p.add_argument("--empty-share", type=float, default=0.0, help="stage dit: share of scenes with no object")
    p.add_argument("--given-share", type=float, help="stage dit: share of clips with clean given frames (default 0.5)")
    p.add_argument("--part-dropout", type=float, default=0.0,
                   help="stage dit, scene condition: share of scenes with some parts left out (partial scenes, negative prompts)")
    p.add_argument("--t-shift", type=float, default=1.0, help="stage dit: shift of the training noise levels towards t = 1")
    p.add_argument("--fixed-scenes", type=int, default=0,
                   help="stage dit: train only on the scenes of seeds 1..N, square, 17 frames (the memorisation check)")
    p.add_argument("--workers", type=int, default=0, help="data-rendering processes (0: render in the training loop)")
    p.add_argument("--bf16", action="store_true", help="CUDA: bf16 autocast")
    p.add_argument("--shard-mib", type=float, help="write checkpoints larger than this many MiB in parts (.000, .001, ...)")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--log-every", type=int, default=10)
    p.add_argument("--ckpt-every", type=int, default=200)
    args = p.parse_args(argv)
    if args.lr is None:
        args.lr = {"vae": 2e-3, "video_vae": 1e-3}.get(args.stage, 5e-4)
    if args.vae_config is None:
        args.vae_config = "t4s4" if args.stage == "video_vae" else "vae_s"
    return args


def main(argv=None):
    args = parse_args(argv)
    training.SHARD_BYTES = int(args.shard_mib * 2**20) if args.shard_mib else None
    rank, world_size, device = setup(args)
    os.makedirs(args.run, exist_ok=True)
    if rank == 0:
        with open(os.path.join(args.run, "args.json"), "w") as f:
            json.dump(vars(args), f, indent=1)
    if args.stage == "vae":
        train_vae(args, rank, world_size, device)
    elif args.stage == "video_vae":
        train_video_vae(args, rank, world_size, device)
    else:
        train_dit(args, rank, world_size, device)
    if world_size > 1:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
