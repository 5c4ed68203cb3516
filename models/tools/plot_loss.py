"""Draw a training loss curve from a run's log.csv as a PNG (PIL only; no matplotlib here).

  /usr/bin/python3 models/tools/plot_loss.py models/runs/small/log.csv models/assets/loss.png [--column loss_ema]
"""
import argparse
import csv

from PIL import Image, ImageDraw


def main():
    p = argparse.ArgumentParser()
    p.add_argument("log")
    p.add_argument("png")
    p.add_argument("--column", default="loss")
    p.add_argument("--smooth", default="loss_ema", help="second column drawn on top, if present")
    p.add_argument("--x", default="samples")
    p.add_argument("--title", default="")
    a = p.parse_args()
    rows = list(csv.DictReader(open(a.log)))
    xs = [float(r[a.x]) for r in rows]
    series = [[float(r[a.column]) for r in rows]]
    if a.smooth in rows[0]:
        series.append([float(r[a.smooth]) for r in rows])
    W, H, m = 720, 400, 60
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    lo = min(min(s) for s in series)
    hi = sorted(series[0])[int(0.98 * (len(series[0]) - 1))]             # clip the first spikes
    lo, hi = lo - 0.02 * (hi - lo), hi + 0.02 * (hi - lo)
    X = lambda x: m + (x - xs[0]) / max(xs[-1] - xs[0], 1e-9) * (W - 2 * m)
    Y = lambda y: H - m - (min(max(y, lo), hi) - lo) / (hi - lo) * (H - 2 * m)
    d.rectangle([m, m, W - m, H - m], outline="black")
    for k in range(5):
        v = lo + (hi - lo) * k / 4
        d.text((5, Y(v) - 6), f"{v:.3f}", fill="black")
        d.line([m, Y(v), W - m, Y(v)], fill=(225, 225, 225))
        x = xs[0] + (xs[-1] - xs[0]) * k / 4
        d.text((X(x) - 15, H - m + 8), f"{x:,.0f}", fill="black")
    for s, colour in zip(series, [(150, 180, 230), (200, 30, 30)]):
        d.line([(X(x), Y(y)) for x, y in zip(xs, s)], fill=colour, width=1 if colour[0] == 150 else 2)
    d.text((m, 20), a.title or f"{a.column} (blue), {a.smooth} (red) vs {a.x}", fill="black")
    d.text((W // 2 - 20, H - 25), a.x, fill="black")
    img.save(a.png)


if __name__ == "__main__":
    main()
