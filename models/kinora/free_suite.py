"""The free-phrasing prompt suite: prompts written the way people type them, each with the scene it
asks for (the ground truth the scorer judges against).

Not written by the caption generator: short and long, chatty, mostly without size words, with verbs
and adjectives of our own ("zipping", "sinking", "hopping", "going round in circles"). It holds
every held-out composition of the world (world.HELD_OUT_*), 2-3-object prompts for counting, and
camera prompts over the textured backgrounds. Where a prompt names no size the scene uses medium;
where it names no background the scene uses a plain or gradient one chosen here (the scorer does not
judge the background, but the ceiling renders need one). Each scene's placement seed is the first
(from 7000 + its index, in steps of 100) whose ground-truth render the scorer judges right on every
attribute: an object that leaves the frame or hides behind another could not be judged at all.
"""
from __future__ import annotations

import copy
import functools

import numpy as np

from . import scorer, world

FRAMES = 17            # 1 + 4k: v2's causal latent codes 17 frames as 5 latent frames

# (group, prompt, objects [(colour, shape, motion, size or None, speed or None)], background or None, camera)
PROMPTS = [
    ("train", "red ball bouncing", [("red", "circle", "bounce", None, None)], None, "static"),
    ("train", "a blue box sliding to the left", [("blue", "square", "left", None, None)], None, "static"),
    ("train", "yellow star drifting right", [("yellow", "star", "right", None, None)], None, "static"),
    ("train", "green triangle floating up", [("green", "triangle", "up", None, None)], None, "static"),
    ("train", "an orange diamond sinking down slowly", [("orange", "diamond", "down", None, "slowly")], None, "static"),
    ("train", "pink ball dropping to the floor", [("pink", "circle", "fall", None, None)], None, "static"),
    ("train", "purple square spinning", [("purple", "square", "rotate", None, None)], None, "static"),
    ("train", "a white triangle getting bigger", [("white", "triangle", "grow", None, None)],
     {"kind": "plain", "colour": "black"}, "static"),
    ("train", "grey star shrinking away", [("gray", "star", "shrink", None, None)], None, "static"),
    ("train", "black diamond circling around the middle", [("black", "diamond", "orbit", None, None)],
     {"kind": "plain", "colour": "white"}, "static"),
    ("train", "a red square just sitting there", [("red", "square", "still", None, None)], None, "static"),
    ("train", "little yellow circle zipping to the right", [("yellow", "circle", "right", "small", "quickly")], None, "static"),
    ("train", "blue dot moving left on a white background", [("blue", "circle", "left", None, None)],
     {"kind": "plain", "colour": "white"}, "static"),
    ("train", "orange star hopping up and down", [("orange", "star", "bounce", None, None)], None, "static"),
    ("train", "pink triangle falls down and stops", [("pink", "triangle", "fall", None, None)], None, "static"),
    ("train", "huge green ball going down", [("green", "circle", "down", "large", None)], None, "static"),
    ("train", "can you make a white ball roll to the left please", [("white", "circle", "left", None, None)],
     {"kind": "plain", "colour": "blue"}, "static"),
    ("train", "a big black square rising", [("black", "square", "up", "large", None)], None, "static"),
    ("train", "tiny purple diamond heading right", [("purple", "diamond", "right", "small", None)], None, "static"),
    ("train", "gray circle that bounces", [("gray", "circle", "bounce", None, None)], None, "static"),
    ("train", "a spinning orange triangle", [("orange", "triangle", "rotate", None, None)], None, "static"),
    ("train", "yellow diamond growing", [("yellow", "diamond", "grow", None, None)], None, "static"),
    ("train", "a blue star going around the centre", [("blue", "star", "orbit", None, None)], None, "static"),
    ("train", "red triangle moving up fast", [("red", "triangle", "up", None, "quickly")], None, "static"),
    ("heldout", "a red star flying to the left", [("red", "star", "left", None, None)], None, "static"),
    ("heldout", "blue triangle bouncing around", [("blue", "triangle", "bounce", None, None)], None, "static"),
    ("heldout", "green diamond moving right", [("green", "diamond", "right", None, None)], None, "static"),
    ("heldout", "a yellow square falling to the ground", [("yellow", "square", "fall", None, None)], None, "static"),
    ("heldout", "purple ball floating upward", [("purple", "circle", "up", None, None)], None, "static"),
    ("heldout", "an orange triangle bouncing", [("orange", "triangle", "bounce", None, None)], None, "static"),
    ("heldout", "pink star getting larger", [("pink", "star", "grow", None, None)], None, "static"),
    ("heldout", "a white square going round in circles", [("white", "square", "orbit", None, None)],
     {"kind": "plain", "colour": "gray"}, "static"),
    ("heldout", "red diamond drops down", [("red", "diamond", "fall", None, None)], None, "static"),
    ("heldout", "a shiny red star that spins", [("red", "star", "rotate", None, None)], None, "static"),
    ("heldout", "small blue triangle sliding right", [("blue", "triangle", "right", "small", None)], None, "static"),
    ("multi", "two balls, a red one moving left and a blue one staying still",
     [("red", "circle", "left", None, None), ("blue", "circle", "still", None, None)], None, "static"),
    ("multi", "a yellow star bouncing next to a purple ball going right",
     [("yellow", "star", "bounce", None, None), ("purple", "circle", "right", None, None)], None, "static"),
    ("multi", "green box going up, orange triangle going down and a pink ball that doesn't move",
     [("green", "square", "up", None, None), ("orange", "triangle", "down", None, None), ("pink", "circle", "still", None, None)],
     None, "static"),
    ("multi", "a white star and a black square", [("white", "star", "still", None, None), ("black", "square", "still", None, None)],
     {"kind": "plain", "colour": "gray"}, "static"),
    ("multi", "blue ball and red ball bouncing", [("blue", "circle", "bounce", None, None), ("red", "circle", "bounce", None, None)],
     None, "static"),
    ("multi", "three shapes: a red circle, a green square and a yellow triangle",
     [("red", "circle", "still", None, None), ("green", "square", "still", None, None), ("yellow", "triangle", "still", None, None)],
     None, "static"),
    ("multi", "an orange diamond moves right while a gray circle falls",
     [("orange", "diamond", "right", None, None), ("gray", "circle", "fall", None, None)], None, "static"),
    ("multi", "purple star spinning beside a white ball",
     [("purple", "star", "rotate", None, None), ("white", "circle", "still", None, None)], None, "static"),
    ("camera", "a red ball on the grass, camera panning left", [("red", "circle", "still", None, None)], {"kind": "day"}, "pan_left"),
    ("camera", "orange box in a sunny field, the camera slides to the right", [("orange", "square", "still", None, None)],
     {"kind": "day"}, "pan_right"),
    ("camera", "zoom in on a yellow star at night", [("yellow", "star", "still", None, None)], {"kind": "night"}, "zoom_in"),
    ("camera", "zooming out from a pink ball under the stars", [("pink", "circle", "still", None, None)], {"kind": "night"}, "zoom_out"),
    ("camera", "a purple triangle on a meadow on a sunny day", [("purple", "triangle", "still", None, None)], {"kind": "day"}, "static"),
    ("camera", "blue star in the night sky, camera moves left", [("blue", "star", "still", None, None)], {"kind": "night"}, "pan_left"),
    ("camera", "camera pulls back from a green ball on a sunny day", [("green", "circle", "still", None, None)], {"kind": "day"}, "zoom_out"),
    ("camera", "a white circle at night, camera zooming in slowly", [("white", "circle", "still", None, None)], {"kind": "night"}, "zoom_in"),
]

DEFAULT_BACKGROUNDS = ["white", "black", "gray", "blue", "green"]


def default_background(i: int, colours: set) -> dict:
    """A plain background (a gradient every third prompt) in colours none of the objects has."""
    free = [c for c in DEFAULT_BACKGROUNDS[i % 5:] + DEFAULT_BACKGROUNDS if c not in colours]
    if i % 3:
        return {"kind": "plain", "colour": free[0]}
    return {"kind": "gradient", "top": free[0], "bottom": next(c for c in free if c != free[0])}


def make_scene(i: int, seed: int) -> dict:
    _, _, objects, background, camera = PROMPTS[i]
    objs = [{"colour": c, "shape": s, "size": size or "medium", "motion": m, "speed": speed or "slowly"}
            for c, s, m, size, speed in objects]
    world._place(np.random.default_rng(seed), objs, occlusion=False)
    bg = background or default_background(i, {o["colour"] for o in objs})
    return {"background": bg, "camera": camera, "objects": objs, "occlusion": False, "seed": seed}


def judgeable(scene: dict) -> bool:
    verdicts = scorer.score(world.render(scene, 64, 64, FRAMES)[0], scene)
    return all(verdicts[k] is not False for k in scorer.ATTRIBUTES)


@functools.lru_cache(maxsize=1)
def _scenes() -> tuple:
    scenes = []
    for i in range(len(PROMPTS)):
        seed = next(s for s in range(7000 + i, 7000 + i + 100 * 50, 100) if judgeable(make_scene(i, s)))
        scenes.append(make_scene(i, seed))
    return tuple(scenes)


def suite() -> list:
    """[(group, scene, prompt)] in a fixed order; scenes are deterministic (copies: safe to change)."""
    return [(group, copy.deepcopy(scene), prompt) for (group, prompt, *_), scene in zip(PROMPTS, _scenes())]


@functools.lru_cache(maxsize=2)
def _site_readings(name: str) -> dict:
    import json
    import os
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), name)) as f:
        return json.load(f)


def _site_captions() -> dict:
    return _site_readings("free_suite_captions.json")


def site_scene(prompt: str) -> dict | None:
    """The scene the site's recaption step reads from a suite prompt (what a scene model is given in
    the browser), as saved in free_suite_scenes.json; None where it finds nothing to draw."""
    scenes = _site_readings("free_suite_scenes.json")
    if prompt not in scenes:
        raise KeyError(f"no saved scene for {prompt!r}: run node scripts/run-ts.mjs scripts/dump-free-suite-captions.ts")
    return scenes[prompt]


def site_caption(prompt: str) -> str:
    """The caption the site's recaption step (src/model/recaption) makes of a suite prompt, as saved in
    free_suite_captions.json by scripts/dump-free-suite-captions.ts ('' where it finds nothing to draw)."""
    captions = _site_captions()
    if prompt not in captions:
        raise KeyError(f"no saved caption for {prompt!r}: run node scripts/run-ts.mjs scripts/dump-free-suite-captions.ts")
    return captions[prompt]
