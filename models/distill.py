"""Few-step distillation with guidance folded in: a student that samples in `--student-steps` Euler
steps with ONE forward per step (guidance 1 at sampling time) imitates the teacher's guided sampler.

For a training clip, pick a student step i of the n-step schedule (t_i -> t_{i+1}), noise the clean
latents to t_i, run the teacher from t_i to t_{i+1} in `--teacher-substeps` guided Euler steps, and
train the student so that its single Euler step lands on the teacher's result:
    v_target = (x_teacher(t_{i+1}) - x(t_i)) / (t_{i+1} - t_i),   loss = |v_student - v_target|^2
(given frames are clean and excluded from the loss, as in train.py; object cells weigh 1 + --fg-weight,
as in train.py). With steps x substeps = 16 the student imitates the 16-step teacher the model card
scores. The student starts as a copy of the teacher; its text encoder stays frozen unless --train-text,
so a student ships the teacher's text_encoder.onnx unchanged.

Progressive rounds work too: a student is a valid --teacher for a student with half its steps
(give --guidance 1, the student's guidance is already folded in).

The checkpoint has the train.py format plus "distilled": {steps, guidance, ...}; export.py then writes
sampler.default_steps = steps and default_guidance = 1. A run resumes from <run>/last.pt. DDP like
train.py (WORLD_SIZE/RANK/MASTER_ADDR/MASTER_PORT in the environment, one process per rank):

  /usr/bin/python3 models/distill.py --teacher models/checkpoints/small.pt --run models/runs/small-student \
      --student-steps 8 --teacher-substeps 2 --guidance 6 --minutes 60
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kinora import captions, checkpoint, training                         # noqa: E402
from kinora.data import dit_batch                                         # noqa: E402
from kinora.video_vae import load_vae                                     # noqa: E402
from kinora.generator import Generator, GeneratorConfig                   # noqa: E402
from kinora.sampling import integrate, time_schedule                      # noqa: E402


def distill_loss(student, teacher, z, ids, cond, steps: int, substeps: int, guidance: float, g: torch.Generator,
                 fg=None, fg_weight: float = 0.0):
    """z [B, C, T, h, w] clean latents, ids [B, L], cond [B, T] given frames, fg [B, T, h, w] object cells."""
    b, _, frames = z.shape[:3]
    ts = time_schedule(steps)
    i = int(torch.randint(steps, (1,), generator=g))
    t0, t1 = float(ts[i]), float(ts[i + 1])
    noise = torch.randn(z.shape, generator=g).to(z.device)
    keep = cond[:, None, :, None, None]
    x = torch.where(keep, z, (1 - t0) * z + t0 * noise)                  # [B, C, T, h, w]
    x_teacher = integrate(teacher, x, ids, torch.linspace(t0, t1, substeps + 1), guidance, z, cond)
    v_target = (x_teacher - x) / (t1 - t0)
    t = torch.where(cond, torch.zeros(b, frames, device=z.device), torch.full((b, frames), t0, device=z.device))
    return training.generated_frames_error((student(x, t, ids) - v_target).pow(2).mean(dim=1), cond, fg, fg_weight)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--teacher", required=True, help="a train.py checkpoint (its EMA weights) or a student")
    p.add_argument("--run", required=True, help="run folder: log.csv, last.pt (resumed when present)")
    p.add_argument("--student-steps", type=int, default=8)
    p.add_argument("--teacher-substeps", type=int, default=2)
    p.add_argument("--guidance", type=float, default=6.0, help="the teacher's guidance (1 for a student teacher)")
    p.add_argument("--minutes", type=float, default=20, help="stop after this much distillation time (resumes count)")
    p.add_argument("--steps", type=int, default=10**9)
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--warmup", type=int, default=50)
    p.add_argument("--ema", type=float, default=0.995)
    p.add_argument("--batch-tokens", type=int, default=1024)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--fg-weight", type=float, default=4.0)
    p.add_argument("--train-text", action="store_true", help="fine-tune the text encoder too")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--log-every", type=int, default=10)
    p.add_argument("--ckpt-every", type=int, default=100)
    args = p.parse_args(argv)
    rank, world_size, device = training.setup(args)
    os.makedirs(args.run, exist_ok=True)

    tck = checkpoint.load(args.teacher)
    cfg = GeneratorConfig(**tck["config"])
    teacher = Generator(cfg).eval().requires_grad_(False).to(device)
    teacher.load_state_dict(tck["ema"])
    student = Generator(cfg).to(device)
    student.load_state_dict(tck["ema"])
    if not args.train_text:
        student.text.requires_grad_(False)
    ema = {k: v.detach().clone() for k, v in student.state_dict().items()}
    opt = torch.optim.AdamW([q for q in student.parameters() if q.requires_grad], lr=args.lr, weight_decay=0.0)
    ckpt_path = os.path.join(args.run, "last.pt")
    step, seen, elapsed = 0, 0, 0.0
    if checkpoint.exists(ckpt_path):
        ck = checkpoint.load(ckpt_path)
        student.load_state_dict(ck["model"])
        ema = ck["ema"]
        opt.load_state_dict(ck["opt"])
        step, seen, elapsed = ck["distilled"]["distill_steps"], ck["distilled"]["distill_samples"], ck["distilled"]["distill_seconds"]
        print(f"resumed {ckpt_path} at distillation step {step}", flush=True)
    model = torch.nn.parallel.DistributedDataParallel(student) if world_size > 1 else student
    vae = load_vae(tck["vae"], device)[0]
    tok = captions.Tokenizer()
    log = training.CsvLog(os.path.join(args.run, "log.csv"), ["step", "samples", "seconds", "loss", "lr", "samples_per_s"], rank == 0)
    g = torch.Generator().manual_seed(args.seed * 1000003 + rank * 7919 + step)
    t_start = time.time() - elapsed
    t_last, seen_last = time.time(), seen

    def state():
        # A frozen text encoder is saved as exactly the teacher's (the EMA's rounding would change its last
        # bits), so the exported text_encoder.onnx is byte-identical to the teacher's and shared in the cache.
        if not args.train_text:
            ema.update({k: v.clone() for k, v in tck["ema"].items() if k.startswith("text.")})
        return {"model": student.state_dict(), "ema": ema, "opt": opt.state_dict(), "step": tck["step"],
                "samples": tck["samples"], "elapsed": tck["elapsed"], "config": cfg.__dict__,
                "config_name": tck.get("config_name"), "vae": tck["vae"], "args": tck.get("args", {}),
                "distilled": {"steps": args.student_steps, "guidance": args.guidance,
                              "teacher_substeps": args.teacher_substeps, "teacher": args.teacher,
                              "teacher_distilled": tck.get("distilled"), "fg_weight": args.fg_weight,
                              "distill_steps": step, "distill_samples": seen,
                              "distill_seconds": round(time.time() - t_start)}}

    while step < args.steps and time.time() - t_start < args.minutes * 60:
        rng = np.random.default_rng([args.seed, 77, rank, step])
        z, ids, cond, fg = dit_batch(rng, vae, tok, args.batch_tokens, args.batch, 0.0, device, cfg.patch)
        lr = args.lr * min(1.0, (step + 1) / args.warmup)
        loss = distill_loss(model, teacher, z, ids, cond, args.student_steps, args.teacher_substeps, args.guidance, g,
                            fg, args.fg_weight)
        training.optimise(opt, loss, student, lr, ema, args.ema)
        step += 1
        seen += z.shape[0] * world_size
        if step % args.log_every == 0 and rank == 0:
            rate = (seen - seen_last) / max(time.time() - t_last, 1e-6)
            t_last, seen_last = time.time(), seen
            log.write(step=step, samples=seen, seconds=round(time.time() - t_start, 1), loss=loss.item(), lr=lr,
                      samples_per_s=rate)
            print(f"distill step {step} samples {seen} loss {loss.item():.4f} {rate:.2f} samples/s", flush=True)
        if rank == 0 and step % args.ckpt_every == 0:
            training.save(ckpt_path, state())
    if rank == 0:
        training.save(ckpt_path, state())
        print(f"student saved: {step} steps, {seen} clips", flush=True)


if __name__ == "__main__":
    main()
