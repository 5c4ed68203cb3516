"""Draw training curves from runs' log.csv files as a PNG (PIL only; no matplotlib here).

  /usr/bin/python3 models/tools/plot_loss.py models/runs/small/log.csv models/assets/loss.png [--column loss_ema]
  /usr/bin/python3 models/tools/plot_loss.py A/log.csv out.png --also B/log.csv --label A --label B --column psnr_db --mean 20

One log: its --column (thin blue) and its --smooth column (red) when the log has one. Several logs
(--also): each one's --column in its own colour, averaged over --mean rows when given (batches of one
shape make single rows noisy), with a legend from --label.
"""
import argparse
import csv

from PIL import Image, ImageDraw

COLOURS = [(200, 30, 30), (30, 90, 200), (30, 150, 60), (150, 80, 180)]


def running_mean(values: list, n: int) -> list:
    if n <= 1:
        return values
    out, acc = [], 0.0
    for i, v in enumerate(values):
        acc += v - (values[i - n] if i >= n else 0.0)
        out.append(acc / min(i + 1, n))
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("log")
    p.add_argument("png")
    p.add_argument("--also", action="append", default=[], help="another run's log.csv, drawn in the same axes")
    p.add_argument("--label", action="append", default=[], help="a legend entry per log, in order")
    p.add_argument("--column", default="loss")
    p.add_argument("--smooth", default="loss_ema", help="one log: second column drawn on top, if present")
    p.add_argument("--mean", type=int, default=1, help="several logs: running mean over this many rows")
    p.add_argument("--x", default="samples")
    p.add_argument("--max-x", type=float, help="leave out rows past this x (e.g. the ablation's budget of a run that went on)")
    p.add_argument("--title", default="")
    a = p.parse_args()
    logs = [[r for r in csv.DictReader(open(path)) if a.max_x is None or float(r[a.x]) <= a.max_x] for path in [a.log, *a.also]]
    curves = []                                             # (xs, ys, colour, width)
    if len(logs) == 1:
        rows = logs[0]
        xs = [float(r[a.x]) for r in rows]
        curves.append((xs, [float(r[a.column]) for r in rows], (150, 180, 230), 1))
        if a.smooth in rows[0]:
            curves.append((xs, [float(r[a.smooth]) for r in rows], (200, 30, 30), 2))
    else:
        for rows, colour in zip(logs, COLOURS):
            curves.append(([float(r[a.x]) for r in rows], running_mean([float(r[a.column]) for r in rows], a.mean), colour, 2))
    W, H, m = 720, 400, 60
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    values = sorted(v for _, ys, _, _ in curves for v in ys)
    lo, hi = values[int(0.01 * (len(values) - 1))], values[int(0.995 * (len(values) - 1))]   # clip the first spikes
    lo, hi = lo - 0.02 * (hi - lo), hi + 0.02 * (hi - lo)
    x0 = min(xs[0] for xs, _, _, _ in curves)
    x1 = max(xs[-1] for xs, _, _, _ in curves)
    X = lambda x: m + (x - x0) / max(x1 - x0, 1e-9) * (W - 2 * m)
    Y = lambda y: H - m - (min(max(y, lo), hi) - lo) / (hi - lo) * (H - 2 * m)
    d.rectangle([m, m, W - m, H - m], outline="black")
    for k in range(5):
        v = lo + (hi - lo) * k / 4
        d.text((5, Y(v) - 6), f"{v:.3f}", fill="black")
        d.line([m, Y(v), W - m, Y(v)], fill=(225, 225, 225))
        x = x0 + (x1 - x0) * k / 4
        d.text((X(x) - 15, H - m + 8), f"{x:,.0f}", fill="black")
    for xs, ys, colour, width in curves:
        d.line([(X(x), Y(y)) for x, y in zip(xs, ys)], fill=colour, width=width)
    if len(logs) == 1:
        d.text((m, 20), a.title or f"{a.column} (blue), {a.smooth} (red) vs {a.x}", fill="black")
    else:
        d.text((m, 12), a.title or f"{a.column} vs {a.x}", fill="black")
        for i, (label, colour) in enumerate(zip(a.label, COLOURS)):
            d.text((m + 260 * i, 32), f"-- {label}", fill=colour)
    d.text((W // 2 - 20, H - 25), a.x, fill="black")
    img.save(a.png)


if __name__ == "__main__":
    main()
