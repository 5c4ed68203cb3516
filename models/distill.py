"""Few-step distillation with guidance folded in: a student that samples in `--student-steps` Euler
steps with ONE forward per step (guidance 1 at sampling time) imitates the teacher's guided sampler.

For a training clip, pick a student step i of the n-step schedule (t_i -> t_{i+1}), noise the clean
latents to t_i, run the teacher from t_i to t_{i+1} in `--teacher-substeps` guided Euler steps, and
train the student so that its single Euler step lands on the teacher's result:
    v_target = (x_teacher(t_{i+1}) - x(t_i)) / (t_{i+1} - t_i),   loss = |v_student - v_target|^2
(given frames are clean and excluded from the loss, as in train.py). The student starts as a copy of
the teacher. Its checkpoint has the train.py format plus "distilled": {steps, guidance}; export.py
then writes sampler.default_steps = steps and default_guidance = 1 (guidance is folded in).

  /usr/bin/python3 models/distill.py --teacher models/runs/small/last.pt --run models/runs/small-student --minutes 20
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train                                                              # noqa: E402
from kinora import captions                                               # noqa: E402
from kinora.generator import Generator, GeneratorConfig                   # noqa: E402
from kinora.sampling import integrate, time_schedule                      # noqa: E402


def distill_loss(student, teacher, z, ids, cond, steps: int, substeps: int, guidance: float, g: torch.Generator):
    b, _, frames = z.shape[:3]
    ts = time_schedule(steps)
    i = int(torch.randint(steps, (1,), generator=g))
    t0, t1 = float(ts[i]), float(ts[i + 1])
    noise = torch.randn(z.shape, generator=g)
    keep = cond[:, None, :, None, None]
    x = torch.where(keep, z, (1 - t0) * z + t0 * noise)                  # [B, C, T, h, w]
    x_teacher = integrate(teacher, x, ids, torch.linspace(t0, t1, substeps + 1), guidance, z, cond)
    v_target = (x_teacher - x) / (t1 - t0)
    t = torch.where(cond, torch.zeros(b, frames), torch.full((b, frames), t0))
    err = (student(x, t, ids) - v_target).pow(2).mean(dim=(1, 3, 4))     # [B, T]
    w = (~cond).float()
    return (err * w).sum() / w.sum().clamp(min=1.0)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--teacher", required=True)
    p.add_argument("--run", required=True)
    p.add_argument("--student-steps", type=int, default=4)
    p.add_argument("--teacher-substeps", type=int, default=4)
    p.add_argument("--guidance", type=float, default=3.0)
    p.add_argument("--minutes", type=float, default=20)
    p.add_argument("--steps", type=int, default=10**9)
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--batch-tokens", type=int, default=1024)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--log-every", type=int, default=10)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    os.makedirs(args.run, exist_ok=True)

    tck = torch.load(args.teacher, map_location="cpu")
    cfg = GeneratorConfig(**tck["config"])
    teacher = Generator(cfg).eval().requires_grad_(False)
    teacher.load_state_dict(tck["ema"])
    student = Generator(cfg)
    student.load_state_dict(tck["ema"])
    ema = {k: v.detach().clone() for k, v in student.state_dict().items()}
    opt = torch.optim.AdamW(student.parameters(), lr=args.lr, weight_decay=0.0)
    vae = train.load_vae(tck["vae"], "cpu")
    tok = captions.Tokenizer()
    log = train.CsvLog(os.path.join(args.run, "log.csv"), ["step", "samples", "seconds", "loss"], True)
    g = torch.Generator().manual_seed(args.seed)
    t0, step, seen = time.time(), 0, 0
    while step < args.steps and time.time() - t0 < args.minutes * 60:
        rng = np.random.default_rng([args.seed, 77, step])
        z, ids, cond, _ = train.dit_batch(rng, vae, tok, args.batch_tokens, args.batch, 0.0, "cpu")
        loss = distill_loss(student, teacher, z, ids, cond, args.student_steps, args.teacher_substeps, args.guidance, g)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(student.parameters(), 1.0)
        opt.step()
        train.update_ema(ema, student, 0.995)
        step += 1
        seen += z.shape[0]
        if step % args.log_every == 0:
            log.write(step=step, samples=seen, seconds=round(time.time() - t0, 1), loss=loss.item())
            print(f"distill step {step} samples {seen} loss {loss.item():.4f}", flush=True)
    state = {"model": student.state_dict(), "ema": ema, "step": tck["step"], "samples": tck["samples"],
             "elapsed": tck["elapsed"] + (time.time() - t0), "config": cfg.__dict__,
             "config_name": tck.get("config_name"), "vae": tck["vae"], "args": tck.get("args", {}),
             "distilled": {"steps": args.student_steps, "guidance": args.guidance, "teacher_substeps": args.teacher_substeps,
                           "distill_steps": step, "distill_samples": seen, "distill_seconds": round(time.time() - t0)}}
    train.save(os.path.join(args.run, "last.pt"), state)
    print(f"student saved: {step} steps, {seen} clips", flush=True)


if __name__ == "__main__":
    main()
