"""The procedural world: scenes sampled from a seed, rendered to RGB frames with their ground truth.

A scene is a plain dict (JSON-serialisable) describing a background, a camera and one to three
objects. `render(scene, width, height, frames)` draws it at any size (all sides multiples of 16 in
practice: 64x64 for 1:1, 112x64 for 16:9, 64x112 for 9:16) at 8 frames per second.

Units. Scene positions and sizes are in "scene units" where the shorter side of the frame is 1;
x runs right, y runs down. The visible frame at zoom 1 spans [0, width/u] x [0, height/u] scene
units (u = min(width, height) pixels). Time is in seconds; frame k is at k / FPS.

Physics. Bouncing and falling objects move under gravity GRAVITY (scene units / s^2) and hit the
ground at y = GROUND_Y (in units of the frame height); each bounce keeps RESTITUTION of the
vertical speed, so the height of each bounce decays by RESTITUTION**2.

Camera. "pan left" moves the camera to the left, so the scene slides to the right on screen;
"zoom in" magnifies over time (1.0 -> ZOOM_END). Camera motion is only sampled with the textured
backgrounds (day sky, night sky), where it is visible.
"""
from __future__ import annotations

import math

import numpy as np

FPS = 8
GRAVITY = 3.2            # scene units / s^2: a drop of ~0.6 units takes ~0.6 s
RESTITUTION = 0.72       # vertical speed kept at each bounce of "bounces"
GROUND_Y = 0.9           # ground line, as a fraction of the frame height
ZOOM_END = 1.6
PAN_SPEED = 0.2          # scene units / s

COLOURS = {
    "red": (220, 40, 40), "orange": (245, 140, 20), "yellow": (240, 220, 30), "green": (40, 170, 60),
    "blue": (40, 80, 230), "purple": (140, 50, 190), "pink": (245, 130, 190), "white": (245, 245, 245),
    "black": (15, 15, 15), "gray": (128, 128, 128),
}
SHAPES = ["circle", "square", "triangle", "star", "diamond"]
SIZES = {"small": 0.09, "medium": 0.13, "large": 0.18}   # radius, scene units
MOTIONS = ["left", "right", "up", "down", "bounce", "fall", "rotate", "grow", "shrink", "orbit", "still"]
SPEEDS = {"slowly": 0.18, "quickly": 0.32}                 # scene units / s for directional moves
DIRECTIONAL = ("left", "right", "up", "down")
BACKGROUNDS = ["plain", "day", "night", "gradient"]
CAMERAS = ["static", "pan_left", "pan_right", "zoom_in", "zoom_out"]

# Plain and gradient backgrounds take these colours (objects never share their background colour).
BG_COLOURS = ["red", "orange", "yellow", "green", "blue", "purple", "pink", "white", "black", "gray"]

# Compositions kept out of training on purpose, to measure generalisation (see the model card).
HELD_OUT_COLOUR_SHAPE = [("red", "star"), ("blue", "triangle"), ("green", "diamond"), ("yellow", "square"),
                         ("purple", "circle")]
HELD_OUT_SHAPE_MOTION = [("triangle", "bounce"), ("star", "grow"), ("square", "orbit"), ("diamond", "fall")]


def is_held_out(obj: dict) -> bool:
    """Whether one object description uses a held-out colour x shape or shape x motion pair."""
    return ((obj["colour"], obj["shape"]) in HELD_OUT_COLOUR_SHAPE
            or (obj["shape"], obj["motion"]) in HELD_OUT_SHAPE_MOTION)


def scene_is_held_out(scene: dict) -> bool:
    return any(is_held_out(o) for o in scene["objects"])


# ----------------------------------------------------------------------------------------------
# Sampling scenes
# ----------------------------------------------------------------------------------------------

def _sample_object(rng: np.random.Generator, forbidden_colours: set) -> dict:
    colour = str(rng.choice([c for c in COLOURS if c not in forbidden_colours]))
    shape = str(rng.choice(SHAPES))
    motions = [m for m in MOTIONS if not (m == "rotate" and shape == "circle")]   # a spinning disc is invisible
    return {
        "colour": colour, "shape": shape, "size": str(rng.choice(list(SIZES))),
        "motion": str(rng.choice(motions)), "speed": str(rng.choice(list(SPEEDS))),
    }


def sample_scene(seed: int, split: str = "train", max_objects: int = 3) -> dict:
    """A random scene, deterministic in `seed`.

    split: "train" never contains a held-out composition; "heldout" always contains at least one
    (in its first object); "any" ignores the list.
    """
    rng = np.random.default_rng(seed)
    for _ in range(1000):
        scene = _sample_scene_once(rng, max_objects)
        held = scene_is_held_out(scene)
        if split == "any" or (split == "train" and not held) or (split == "heldout" and is_held_out(scene["objects"][0])):
            scene["seed"] = int(seed)
            return scene
    raise RuntimeError(f"could not sample a {split!r} scene from seed {seed}")


def _sample_scene_once(rng: np.random.Generator, max_objects: int) -> dict:
    background = str(rng.choice(BACKGROUNDS, p=[0.35, 0.25, 0.2, 0.2]))
    bg = {"kind": background}
    forbidden = set()
    if background == "plain":
        bg["colour"] = str(rng.choice(BG_COLOURS))
        forbidden = {bg["colour"]}
    elif background == "gradient":
        a, b = rng.choice(BG_COLOURS, size=2, replace=False)
        bg["top"], bg["bottom"] = str(a), str(b)
        forbidden = {bg["top"], bg["bottom"]}
    elif background == "day":
        forbidden = {"green", "blue", "white"} # grass, sky and clouds
    elif background == "night":
        forbidden = {"black"}
    camera = "static"
    if background in ("day", "night") and rng.random() < 0.35:
        camera = str(rng.choice(CAMERAS[1:]))

    n = int(rng.choice([1, 2, 3], p=[0.6, 0.25, 0.15])) if max_objects > 1 else 1
    n = min(n, max_objects)
    objects = []
    occlusion = n >= 2 and rng.random() < 0.35
    for i in range(n):
        obj = _sample_object(rng, forbidden | {o["colour"] for o in objects})
        objects.append(obj)
    if occlusion:
        # Object 0 crosses behind object 1, which stands still in the middle and is larger.
        objects[0]["motion"] = str(rng.choice(["left", "right"]))
        objects[0]["speed"] = "quickly"
        objects[1]["motion"] = "still"
        objects[1]["size"] = "large"
        if objects[0]["size"] == "large":
            objects[0]["size"] = "medium"
    _place(rng, objects, occlusion)
    return {"background": bg, "camera": camera, "objects": objects, "occlusion": bool(occlusion)}


def _place(rng: np.random.Generator, objects: list, occlusion: bool) -> None:
    """Start positions in fractions of the frame (fx, fy), so one scene renders at any aspect."""
    n = len(objects)
    lanes = rng.permutation(3)[:n]                 # horizontal bands keep objects apart
    for i, obj in enumerate(objects):
        lane_y = [0.28, 0.5, 0.72][lanes[i]] if n > 1 else 0.5
        fx, fy = rng.uniform(0.3, 0.7), lane_y + rng.uniform(-0.05, 0.05)
        m = obj["motion"]
        if m == "left":
            fx = rng.uniform(0.7, 0.85)
        elif m == "right":
            fx = rng.uniform(0.15, 0.3)
        elif m == "up":
            fy = rng.uniform(0.72, 0.8)
        elif m == "down":
            fy = rng.uniform(0.2, 0.28)
        elif m in ("bounce", "fall"):
            fy = rng.uniform(0.15, 0.3)
        elif m == "orbit":
            fx, fy = 0.5, 0.5
        obj["start"] = [float(fx), float(fy)]
        obj["z"] = i                                # drawing order: higher z is in front
        obj["phase"] = float(rng.uniform(0, 2 * math.pi))
        obj["drift"] = float(rng.choice([-1.0, 0.0, 1.0])) * 0.12 if m == "bounce" else 0.0
    if occlusion:
        objects[0]["start"][1] = objects[1]["start"][1] = 0.5
        objects[1]["start"][0] = 0.5
        objects[0]["start"][0] = 0.08 if objects[0]["motion"] == "right" else 0.92
        objects[0]["z"], objects[1]["z"] = 0, 1


# ----------------------------------------------------------------------------------------------
# Motion: object state at time t (scene units), in the world frame (before the camera)
# ----------------------------------------------------------------------------------------------

def _vertical_drop(y0: float, ground: float, radius: float, restitution: float, t: np.ndarray) -> np.ndarray:
    """Height under gravity, released at rest from y0, bouncing on `ground` (y runs down), exactly."""
    floor = ground - radius
    out = np.empty_like(t)
    h0 = max(floor - y0, 0.0)
    t_hit = math.sqrt(2 * h0 / GRAVITY)            # first contact
    for k, tk in enumerate(t):
        if tk <= t_hit:
            out[k] = y0 + 0.5 * GRAVITY * tk * tk
            continue
        v = GRAVITY * t_hit * restitution          # upward speed after the first bounce
        s = tk - t_hit
        while v > 1e-3:
            flight = 2 * v / GRAVITY
            if s <= flight:
                break
            s -= flight
            v *= restitution
        out[k] = floor - (v * s - 0.5 * GRAVITY * s * s) if v > 1e-3 else floor
    return out


def trajectory(obj: dict, aspect_w: float, aspect_h: float, times: np.ndarray) -> dict:
    """Centre x, y, radius and angle at `times` (seconds) in scene units; aspect_* = frame size / shorter side."""
    n = len(times)
    x0, y0 = obj["start"][0] * aspect_w, obj["start"][1] * aspect_h
    r = SIZES[obj["size"]] * np.ones(n)
    x, y = np.full(n, x0), np.full(n, y0)
    angle = np.zeros(n)                               # shapes stand upright unless they rotate
    m, speed = obj["motion"], SPEEDS[obj["speed"]]
    if m == "left":
        x = x0 - speed * times
    elif m == "right":
        x = x0 + speed * times
    elif m == "up":
        y = y0 - speed * times
    elif m == "down":
        y = y0 + speed * times
    elif m == "bounce":
        y = _vertical_drop(y0, GROUND_Y * aspect_h, r[0], RESTITUTION, times)
        x = x0 + obj["drift"] * times
    elif m == "fall":
        y = _vertical_drop(y0, GROUND_Y * aspect_h, r[0], 0.0, times)
    elif m == "rotate":
        angle = obj["phase"] + (2.2 if obj["speed"] == "quickly" else 1.0) * times
    elif m == "grow":
        r = r * (0.6 + 0.45 * times)
    elif m == "shrink":
        r = r * np.maximum(1.3 - 0.42 * times, 0.25)
    elif m == "orbit":
        radius = 0.25
        w = (2 * math.pi / 2.0) * (1.6 if obj["speed"] == "quickly" else 1.0)   # rad / s, counter-clockwise on screen
        x = x0 + radius * np.cos(obj["phase"] + w * times)
        y = y0 - radius * np.sin(obj["phase"] + w * times)
    return {"x": x, "y": y, "r": r, "angle": angle}


def camera_path(camera: str, aspect_w: float, aspect_h: float, times: np.ndarray) -> dict:
    """Camera centre (scene units) and zoom over time."""
    cx, cy = np.full(len(times), aspect_w / 2), np.full(len(times), aspect_h / 2)
    zoom = np.ones(len(times))
    if camera == "pan_left":
        cx = cx - PAN_SPEED * times
    elif camera == "pan_right":
        cx = cx + PAN_SPEED * times
    elif camera == "zoom_in":
        zoom = 1.0 + (ZOOM_END - 1.0) * times / 2.0
    elif camera == "zoom_out":
        zoom = ZOOM_END - (ZOOM_END - 1.0) * times / 2.0
    return {"cx": cx, "cy": cy, "zoom": zoom}


# ----------------------------------------------------------------------------------------------
# Drawing
# ----------------------------------------------------------------------------------------------

def _radial_extent(shape: str, phi: np.ndarray, angle: float) -> np.ndarray:
    """Distance from the centre to the shape's edge along direction phi, for a shape of radius 1."""
    if shape == "circle":
        return np.ones_like(phi)
    if shape == "square":
        n, radii, offset = 4, np.ones(4), math.pi / 4
    elif shape == "triangle":
        n, radii, offset = 3, np.ones(3) * 1.1, -math.pi / 2
    elif shape == "diamond":
        n, radii, offset = 4, np.array([0.75, 1.15, 0.75, 1.15]), 0.0
    elif shape == "star":
        n, radii, offset = 10, np.tile([1.15, 0.5], 5), -math.pi / 2
    else:
        raise ValueError(f"unknown shape {shape!r}")
    step = 2 * math.pi / n
    a0 = angle + offset
    rel = np.mod(phi - a0, 2 * math.pi)
    k = np.floor(rel / step).astype(np.int64) % n
    ang_k = a0 + k * step
    ang_k1 = ang_k + step
    rk, rk1 = radii[k], radii[(k + 1) % n]
    px, py = rk * np.cos(ang_k), rk * np.sin(ang_k)
    qx, qy = rk1 * np.cos(ang_k1), rk1 * np.sin(ang_k1)
    ex, ey = qx - px, qy - py
    ux, uy = np.cos(phi), np.sin(phi)
    # ray s*u meets segment p + e*l:  s = cross(p, e) / cross(u, e)
    return (px * ey - py * ex) / (ux * ey - uy * ex)


def shape_area(shape: str) -> float:
    """Area of a shape of radius 1 (the polygon through its vertices)."""
    if shape == "circle":
        return math.pi
    phi = np.linspace(0, 2 * math.pi, 2000, endpoint=False)
    r = _radial_extent(shape, phi, 0.0)
    return float(0.5 * (r * r).mean() * 2 * math.pi)


def _coverage(shape: str, cx: float, cy: float, r: float, angle: float, gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
    """Anti-aliased coverage in [0, 1] of one shape, in pixel coordinates."""
    dx, dy = gx - cx, gy - cy
    rho = np.sqrt(dx * dx + dy * dy)
    phi = np.arctan2(dy, dx)
    edge = r * _radial_extent(shape, phi, angle)
    return np.clip(edge - rho + 0.5, 0.0, 1.0)


def _hash01(i: np.ndarray, salt: int) -> np.ndarray:
    """A deterministic pseudo-random value in [0, 1) per integer cell (for stars, clouds, grass)."""
    h = (i.astype(np.int64) * 374761393 + salt * 668265263) & 0xFFFFFFFF
    h = ((h ^ (h >> 13)) * 1274126177) & 0xFFFFFFFF
    return (h & 0xFFFF) / 65536.0


def _background(bg: dict, wx: np.ndarray, wy: np.ndarray, aspect_h: float, scale_px: float) -> np.ndarray:
    """RGB float image [H, W, 3] of the background at world coordinates (wx, wy), scene units."""
    H, W = wx.shape
    c = lambda name: np.array(COLOURS[name], dtype=np.float32)
    kind = bg["kind"]
    if kind == "plain":
        return np.broadcast_to(c(bg["colour"]), (H, W, 3)).astype(np.float32)
    if kind == "gradient":
        f = np.clip(wy / aspect_h, 0, 1)[..., None]
        return ((1 - f) * c(bg["top"]) + f * c(bg["bottom"])).astype(np.float32)
    ground_y = GROUND_Y * aspect_h - 0.05
    day = kind == "day"
    sky_top = np.array([90, 160, 235] if day else [8, 10, 40], np.float32)
    sky_bot = np.array([170, 215, 250] if day else [30, 30, 80], np.float32)
    f = np.clip(wy / ground_y, 0, 1)[..., None]
    img = (1 - f) * sky_top + f * sky_bot
    cell = np.floor(wx / 0.5).astype(np.int64)     # a feature every half unit of width, along the world x
    if day:
        # clouds: soft ellipses in some cells
        has = _hash01(cell, 1) < 0.6
        cxc = (cell + 0.2 + 0.6 * _hash01(cell, 2)) * 0.5
        cyc = 0.08 + 0.18 * _hash01(cell, 3)
        d = ((wx - cxc) / 0.16) ** 2 + ((wy - cyc) / 0.06) ** 2
        a = (np.clip((1 - d) * 3, 0, 1) * has)[..., None]
        img = (1 - a) * img + a * np.array([250, 250, 252], np.float32)
    else:
        # stars: small bright points, several per cell
        for s in range(3):
            sx = (cell + _hash01(cell, 10 + s)) * 0.5
            sy = _hash01(cell, 20 + s) * ground_y * 0.9
            d = np.sqrt((wx - sx) ** 2 + (wy - sy) ** 2) * scale_px
            a = np.clip(1.3 - d, 0, 1)[..., None]
            img = (1 - a) * img + a * np.array([255, 250, 200], np.float32)
    grass = np.array([60, 160, 60] if day else [20, 60, 30], np.float32)
    stripe = 0.85 + 0.15 * (np.sin(wx * 2 * math.pi / 0.25) > 0)     # mown stripes show the pan
    g = grass * stripe[..., None]
    gnd = np.clip((wy - ground_y) * scale_px + 0.5, 0, 1)[..., None]
    return ((1 - gnd) * img + gnd * g).astype(np.float32)


def render(scene: dict, width: int = 64, height: int = 64, frames: int = 16, start_frame: int = 0):
    """Render a scene. Returns (video uint8 [frames, height, width, 3], ground truth dict).

    Ground truth per object, per frame: x, y (pixels, screen), r (pixels), angle, visible (fraction
    of the object's area not hidden by objects in front of it or outside the frame); plus the camera.
    """
    u = float(min(width, height))
    aw, ah = width / u, height / u
    times = (start_frame + np.arange(frames)) / FPS
    cam = camera_path(scene["camera"], aw, ah, times)
    trajs = [trajectory(o, aw, ah, times) for o in scene["objects"]]
    order = sorted(range(len(scene["objects"])), key=lambda i: scene["objects"][i]["z"])
    gy, gx = np.mgrid[0:height, 0:width].astype(np.float32) + 0.5
    video = np.empty((frames, height, width, 3), np.uint8)
    truth = {"objects": [{k: np.zeros(frames) for k in ("x", "y", "r", "angle", "visible")} for _ in trajs],
             "camera": {k: v.copy() for k, v in cam.items()}, "width": width, "height": height}
    for f in range(frames):
        zoom, cx, cy = cam["zoom"][f], cam["cx"][f], cam["cy"][f]
        s = u * zoom                                     # pixels per scene unit
        wx = (gx - width / 2) / s + cx                   # world coordinates of each pixel
        wy = (gy - height / 2) / s + cy
        img = _background(scene["background"], wx, wy, ah, s)
        covers = []
        for i in order:
            o, tr = scene["objects"][i], trajs[i]
            px = (tr["x"][f] - cx) * s + width / 2
            py = (tr["y"][f] - cy) * s + height / 2
            pr = tr["r"][f] * s
            a = _coverage(o["shape"], px, py, pr, tr["angle"][f], gx, gy)
            img = img * (1 - a[..., None]) + a[..., None] * np.array(COLOURS[o["colour"]], np.float32)
            covers.append((i, a))
            g = truth["objects"][i]
            g["x"][f], g["y"][f], g["r"][f], g["angle"][f] = px, py, pr, tr["angle"][f]
        for k, (i, a) in enumerate(covers):
            hidden = np.zeros_like(a)
            for _, a_front in covers[k + 1:]:
                hidden = np.maximum(hidden, a_front)
            full = shape_area(scene["objects"][i]["shape"]) * truth["objects"][i]["r"][f] ** 2
            truth["objects"][i]["visible"][f] = float(np.clip((a * (1 - hidden)).sum() / max(full, 1e-6), 0, 1))
        video[f] = np.clip(img + 0.5, 0, 255).astype(np.uint8)
    return video, truth


ASPECTS = {"1:1": (64, 64), "16:9": (112, 64), "9:16": (64, 112)}   # (width, height) in pixels
