"""One scorer for every video Kinora makes: judges frames against the ground truth of their prompt.

Input: frames uint8 [T, H, W, 3] (from PyTorch sampling, or from an MP4 via `read_mp4`) and the
scene the prompt describes (a world scene dict). Output: per-attribute results (True/False, or None
where the attribute does not apply to that prompt):

  colour    the largest object in the video has the colour of the prompt's first object
            (multi-object prompts: every prompt colour is present)
  shape     the prompt's first object, found by its colour, is classified as the prompt's shape
  direction moves left/right/up/down or stays still, as the prompt says (only for those motions)
  physics   bounce vs fall vs neither, from the vertical track (only for bounce/fall prompts)
  count     the number of distinct objects equals the prompt's
  camera    static / pan left / pan right / zoom in / zoom out, from the background
            (only for the day and night backgrounds, whose texture makes camera motion visible)
  identity  the first object keeps its colour and shape through the clip and is there at the end

How. The background is estimated per row (the median colour of each row: backgrounds vary only
vertically, up to small texture), foreground pixels differ from it, and each foreground pixel takes
the nearest palette colour; a 1-pixel erosion removes anti-aliased edges and tiny stars. Objects in
one scene have distinct colours, so an object is a colour class. Shapes are classified by a
nearest-centroid rule on rotation-invariant features (fill ratio and the harmonics of the radial
profile), calibrated on renders of the world itself.
"""
from __future__ import annotations

import functools
import subprocess

import numpy as np

from . import world

PALETTE_NAMES = list(world.COLOURS)
PALETTE = np.array([world.COLOURS[c] for c in PALETTE_NAMES], np.float32)     # [10, 3]
FOREGROUND_DISTANCE = 50.0     # RGB distance from the row's background colour
PALETTE_DISTANCE = 80.0        # max RGB distance to the nearest palette colour
MIN_AREA_FRACTION = 0.004      # of the shorter side squared (a small object covers ~0.025)
ATTRIBUTES = ["colour", "shape", "direction", "physics", "count", "camera", "identity"]


# ----------------------------------------------------------------------------------------------
# Reading frames
# ----------------------------------------------------------------------------------------------

def read_mp4(path: str, width: int | None = None, height: int | None = None) -> np.ndarray:
    """Decode a video file with ffmpeg to uint8 [T, H, W, 3] (at its own size unless given)."""
    if width is None or height is None:
        probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                                "stream=width,height", "-of", "csv=p=0", path], capture_output=True, text=True, check=True)
        width, height = (int(v) for v in probe.stdout.strip().split(",")[:2])
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24",
                          "-s", f"{width}x{height}", "-"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, height, width, 3)


def write_mp4(path: str, frames: np.ndarray, fps: int = world.FPS, scale: int = 1) -> None:
    """Encode uint8 [T, H, W, 3] as H.264 (yuv444, near-lossless) with ffmpeg."""
    t, h, w, _ = frames.shape
    cmd = ["ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}", "-r", str(fps),
           "-i", "-", "-vf", f"scale={w * scale}:{h * scale}:flags=neighbor", "-c:v", "libx264", "-qp", "4",
           "-pix_fmt", "yuv444p", path]
    subprocess.run(cmd, input=np.ascontiguousarray(frames).tobytes(), check=True)


# ----------------------------------------------------------------------------------------------
# Segmentation and features
# ----------------------------------------------------------------------------------------------

def colour_masks(frame: np.ndarray) -> np.ndarray:
    """bool [10, H, W]: eroded foreground pixels of each palette colour."""
    f = frame.astype(np.float32)
    background = np.median(f, axis=1, keepdims=True)                          # [H, 1, 3]
    fg = np.linalg.norm(f - background, axis=-1) > FOREGROUND_DISTANCE        # [H, W]
    d = np.linalg.norm(f[:, :, None, :] - PALETTE[None, None], axis=-1)      # [H, W, 10]
    nearest = d.argmin(-1)
    ok = fg & (d.min(-1) < PALETTE_DISTANCE)
    masks = (nearest[None] == np.arange(len(PALETTE))[:, None, None]) & ok[None]   # [10, H, W]
    eroded = masks.copy()
    eroded[:, 1:, :] &= masks[:, :-1, :]
    eroded[:, :-1, :] &= masks[:, 1:, :]
    eroded[:, :, 1:] &= masks[:, :, :-1]
    eroded[:, :, :-1] &= masks[:, :, 1:]
    return eroded


def shape_features(mask: np.ndarray) -> np.ndarray | None:
    """Rotation-invariant features of one (eroded) object mask, or None if too small."""
    ys, xs = np.nonzero(mask)
    if len(xs) < 12:
        return None
    cx, cy = xs.mean(), ys.mean()
    dx, dy = xs - cx, ys - cy
    rho = np.sqrt(dx * dx + dy * dy) + 0.5
    phi = np.arctan2(dy, dx)
    bins = 48
    k = ((phi + np.pi) / (2 * np.pi) * bins).astype(int) % bins
    profile = np.zeros(bins)
    np.maximum.at(profile, k, rho)
    if (profile == 0).any():                              # fill empty angular bins from neighbours
        idx = np.nonzero(profile)[0]
        profile = np.interp(np.arange(bins), idx, profile[idx], period=bins)
    spec = np.abs(np.fft.rfft(profile))
    rmax = profile.max()
    fill = len(xs) / (np.pi * rmax * rmax)
    return np.array([fill, *(spec[2:6] / spec[0])])


@functools.lru_cache(maxsize=1)
def shape_prototypes() -> tuple:
    """Per-shape mean and std of the features, from renders of the world (deterministic)."""
    rng = np.random.default_rng(12345)
    feats = {s: [] for s in world.SHAPES}
    for i in range(150):
        shape = world.SHAPES[i % len(world.SHAPES)]
        size = str(rng.choice(list(world.SIZES)))
        obj = {"colour": "red", "shape": shape, "size": size, "motion": "rotate" if shape != "circle" else "still",
               "speed": "slowly", "start": [rng.uniform(0.3, 0.7), rng.uniform(0.3, 0.7)], "z": 0,
               "phase": float(rng.uniform(0, 2 * np.pi)), "drift": 0.0}
        scene = {"background": {"kind": "plain", "colour": "white"}, "camera": "static", "objects": [obj], "occlusion": False}
        video, _ = world.render(scene, 64, 64, 1)
        f = shape_features(colour_masks(video[0])[PALETTE_NAMES.index("red")])
        if f is not None:
            feats[shape].append(f)
    mean = np.stack([np.mean(feats[s], 0) for s in world.SHAPES])
    std = np.concatenate([np.std(feats[s], 0)[None] for s in world.SHAPES]).mean(0) + 1e-3
    return mean, std


def classify_shape(mask: np.ndarray) -> str | None:
    f = shape_features(mask)
    if f is None:
        return None
    mean, std = shape_prototypes()
    return world.SHAPES[int(np.argmin((((f - mean) / std) ** 2).sum(-1)))]


# ----------------------------------------------------------------------------------------------
# Tracks, motion, camera
# ----------------------------------------------------------------------------------------------

def analyse(frames: np.ndarray) -> dict:
    """Per colour: area, centroid per frame; plus the masks (for shapes)."""
    t, h, w, _ = frames.shape
    masks = np.stack([colour_masks(f) for f in frames])                      # [T, 10, H, W]
    area = masks.sum(axis=(2, 3)).astype(np.float64)                          # [T, 10]
    gy, gx = np.mgrid[0:h, 0:w]
    with np.errstate(invalid="ignore", divide="ignore"):
        cx = (masks * gx).sum(axis=(2, 3)) / area
        cy = (masks * gy).sum(axis=(2, 3)) / area
    present = area >= MIN_AREA_FRACTION * min(h, w) ** 2                              # [T, 10]
    return {"masks": masks, "area": area, "cx": cx, "cy": cy, "present": present, "size": min(h, w)}


def classify_direction(cx: np.ndarray, cy: np.ndarray, size: int) -> str:
    ok = ~np.isnan(cx)
    if ok.sum() < 2:
        return "unknown"
    xs, ys = cx[ok], cy[ok]
    dx, dy = xs[-1] - xs[0], ys[-1] - ys[0]
    if max(abs(dx), abs(dy)) < 0.06 * size * (ok.sum() / 16) ** 0.5 + 1.0:
        return "still"
    if abs(dx) >= abs(dy):
        return "right" if dx > 0 else "left"
    return "down" if dy > 0 else "up"


def classify_vertical(cy: np.ndarray, size: int) -> str:
    """'bounce' (falls, rises again), 'fall' (descends and rests), or 'other'."""
    ok = ~np.isnan(cy)
    if ok.sum() < 4:
        return "other"
    y = cy[ok]
    tol = 0.03 * size
    lowest = int(np.argmax(y))
    descent = y[lowest] - y[0]
    if descent < 0.15 * size:
        return "other"
    rises = np.maximum.accumulate(y)[:-1] - y[1:]              # how far above the lowest point so far
    if (rises > tol).any():
        return "bounce"
    tail = y[lowest:]
    if len(tail) >= 2 and (np.abs(tail - y[lowest]) < tol + 1).all():
        return "fall"
    return "other"


def estimate_camera(frames: np.ndarray, foreground: np.ndarray) -> str:
    """Scale and shift that map the last frame's background onto the first's (brute force)."""
    a = frames[0].astype(np.float32)
    b = frames[-1].astype(np.float32)
    h, w, _ = a.shape
    valid_a = ~foreground[0]
    valid_b = ~foreground[-1]
    gy, gx = np.mgrid[0:h, 0:w].astype(np.float32) + 0.5
    best = (np.inf, 1.0, 0.0)
    for s in np.linspace(0.6, 1.7, 12):
        for dx in np.arange(-32, 33, 2.0):
            # pixel p of the last frame shows what the first frame shows at (p - c)/s + c - dx/s
            sx = ((gx - w / 2) / s + w / 2 - dx / s).astype(int)
            sy = ((gy - h / 2) / s + h / 2).astype(int)
            inside = (sx >= 0) & (sx < w) & (sy >= 0) & (sy < h) & valid_b
            if inside.sum() < 0.3 * h * w:
                continue
            sxc, syc = np.clip(sx, 0, w - 1), np.clip(sy, 0, h - 1)
            m = inside & valid_a[syc, sxc]
            err = np.abs(b[m] - a[syc[m], sxc[m]]).mean()
            if err < best[0]:
                best = (err, s, dx)
    _, s, dx = best
    if s > 1.15:
        return "zoom_in"
    if s < 0.87:
        return "zoom_out"
    if dx > 3:
        return "pan_left"          # the scene slid right: the camera moved left
    if dx < -3:
        return "pan_right"
    return "static"


# ----------------------------------------------------------------------------------------------
# Scoring
# ----------------------------------------------------------------------------------------------

def score(frames: np.ndarray, scene: dict) -> dict:
    """Per-attribute verdicts (True / False / None = not applicable) and what was measured."""
    a = analyse(frames)
    t = len(frames)
    objs = scene["objects"]
    target = PALETTE_NAMES.index(objs[0]["colour"])
    mean_area = a["area"].mean(0)
    if scene["background"]["kind"] == "day":
        mean_area[PALETTE_NAMES.index("white")] = 0.0          # clouds
    present_colours = [PALETTE_NAMES[i] for i in range(len(PALETTE)) if a["present"][:, i].mean() >= 0.3
                       and not (scene["background"]["kind"] == "day" and PALETTE_NAMES[i] == "white")]
    dominant = PALETTE_NAMES[int(np.argmax(mean_area))] if mean_area.max() > 0 else None
    out = {"measured": {"dominant_colour": dominant, "colours": present_colours}}

    if len(objs) == 1:
        out["colour"] = dominant == objs[0]["colour"]
    else:
        out["colour"] = all(o["colour"] in present_colours for o in objs)

    # shape: majority over frames where the target is present and away from the frame border
    shapes = []
    for f in range(t):
        m = a["masks"][f, target]
        if a["present"][f, target] and not (m[0].any() or m[-1].any() or m[:, 0].any() or m[:, -1].any()):
            s = classify_shape(m)
            if s:
                shapes.append(s)
    shape = max(set(shapes), key=shapes.count) if shapes else None
    out["measured"]["shape"] = shape
    out["shape"] = shape == objs[0]["shape"]

    cx = np.where(a["present"][:, target], a["cx"][:, target], np.nan)
    cy = np.where(a["present"][:, target], a["cy"][:, target], np.nan)
    motion = objs[0]["motion"]
    occluded = scene.get("occlusion", False)
    if motion in world.DIRECTIONAL + ("still",) and scene["camera"] == "static" and t >= 4 and not occluded:
        d = classify_direction(cx, cy, a["size"])
        out["measured"]["direction"] = d
        out["direction"] = d == motion
    else:
        out["direction"] = None
    if motion in ("bounce", "fall") and scene["camera"] == "static" and t >= 8:
        v = classify_vertical(cy, a["size"])
        out["measured"]["physics"] = v
        out["physics"] = v == motion
    else:
        out["physics"] = None
    out["measured"]["count"] = len(present_colours)
    out["count"] = len(present_colours) == len(objs)
    if scene["background"]["kind"] in ("day", "night") and t >= 8:
        fg = a["masks"].any(axis=1)                                         # [T, H, W]
        grown = fg.copy()                                                  # undo the erosion (and a margin)
        for axis in (1, 2):
            for shift in (-2, -1, 1, 2):
                grown |= np.roll(fg, shift, axis=axis)
        cam = estimate_camera(frames, grown)
        out["measured"]["camera"] = cam
        out["camera"] = cam == scene["camera"]
    else:
        out["camera"] = None
    present = a["present"][:, target]
    consistent = bool(shapes) and shapes.count(shape) >= 0.6 * len(shapes)
    if motion == "shrink":                                     # it may legitimately shrink out of sight
        out["identity"] = bool(present[: max(1, t // 2)].mean() >= 0.8 and consistent)
    elif motion == "grow":                                     # it may start too small to see
        out["identity"] = bool(present[t // 2:].mean() >= 0.8 and present[-1] and consistent)
    elif occluded:
        out["identity"] = bool(present[: max(1, t // 4)].any() and present[-max(1, t // 4):].any() and consistent)
    else:
        out["identity"] = bool(present.mean() >= 0.8 and present[-1] and consistent)
    return out


def summarise(results: list) -> dict:
    """Per-attribute accuracy over a list of `score` results (ignoring not-applicable ones)."""
    summary = {}
    for attr in ATTRIBUTES:
        vals = [r[attr] for r in results if r.get(attr) is not None]
        summary[attr] = {"accuracy": float(np.mean(vals)) if vals else None, "n": len(vals)}
    return summary
