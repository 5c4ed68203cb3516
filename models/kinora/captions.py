"""Captions written from a scene's ground truth ("recaptioning"), and the tokenizer.

Captions come at three levels of detail, each with many phrasings and synonyms:
  short   "a red ball bounces"
  medium  "a small red circle moves slowly to the left on a blue background"
  long    "A small red circle moves slowly leftwards across a plain blue background. The camera is static."
Every word any caption can contain is in the fixed vocabulary file `vocab.txt` (next to this file).

Tokenizer rules (the browser runtime follows them exactly, see docs/model-format.md):
  1. lowercase; 2. every character outside [a-z0-9] becomes a space; 3. split on spaces;
  4. words not in the vocabulary are DROPPED (there is no [unk] id: the model never saw one, and
     dropping lets filler words and typos pass harmlessly); 5. ids are the 0-based line numbers of
     vocab.txt; id 0 is [pad]; 6. keep at most MAX_TOKENS ids, pad with 0 to MAX_TOKENS.
An empty caption (all [pad]) is the unconditional input for classifier-free guidance.
"""
from __future__ import annotations

import os
import re

import numpy as np

from . import world

MAX_TOKENS = 64
PAD = "[pad]"
VOCAB_PATH = os.path.join(os.path.dirname(__file__), "vocab.txt")

COLOUR_WORDS = {c: [c] for c in world.COLOURS}
COLOUR_WORDS["gray"] = ["gray", "grey"]
COLOUR_WORDS["purple"] = ["purple", "violet"]
SHAPE_WORDS = {
    "circle": ["circle", "ball", "disc", "dot"],
    "square": ["square", "box", "block"],
    "triangle": ["triangle"],
    "star": ["star"],
    "diamond": ["diamond", "rhombus"],
}
SIZE_WORDS = {"small": ["small", "little", "tiny"], "medium": ["medium", "medium sized", "mid sized"],
              "large": ["large", "big", "huge"]}
SPEED_WORDS = {"slowly": ["slowly", "gently"], "quickly": ["quickly", "fast", "rapidly"]}
MOTION_PHRASES = {
    "left": ["moves {speed} to the left", "slides {speed} to the left", "moves {speed} leftwards", "goes {speed} left",
             "travels {speed} to the left"],
    "right": ["moves {speed} to the right", "slides {speed} to the right", "moves {speed} rightwards",
              "goes {speed} right", "travels {speed} to the right"],
    "up": ["moves {speed} up", "rises {speed}", "floats {speed} upwards", "goes {speed} up"],
    "down": ["moves {speed} down", "sinks {speed}", "moves {speed} downwards", "goes {speed} down"],
    "bounce": ["bounces", "bounces on the ground", "is bouncing", "bounces up and down"],
    "fall": ["falls and lands", "falls to the ground", "drops to the ground", "falls down and lands"],
    "rotate": ["rotates {speed}", "spins {speed}", "turns around {speed}", "is spinning {speed}"],
    "grow": ["grows", "gets bigger", "expands", "grows larger"],
    "shrink": ["shrinks", "gets smaller", "shrinks in size", "becomes smaller"],
    "orbit": ["circles around the centre", "moves in a circle", "orbits the center", "goes round in a circle"],
    "still": ["stays still", "sits still", "does not move", "rests in place"],
}
MOTION_SHORT = {"left": "moving left", "right": "moving right", "up": "moving up", "down": "moving down",
                "bounce": "bouncing", "fall": "falling", "rotate": "spinning", "grow": "growing",
                "shrink": "shrinking", "orbit": "circling", "still": "standing still"}
CAMERA_PHRASES = {
    "static": ["the camera is static", "static camera", "the camera does not move"],
    "pan_left": ["the camera pans left", "camera panning to the left", "the view pans left"],
    "pan_right": ["the camera pans right", "camera panning to the right", "the view pans right"],
    "zoom_in": ["the camera zooms in", "zooming in", "the view zooms in"],
    "zoom_out": ["the camera zooms out", "zooming out", "the view zooms out"],
}
FILLER = ["a", "an", "the", "of", "video", "clip", "showing", "please", "with", "very", "and", "in", "on", "is",
          "there", "scene", "animation", "simple", "shot", "render", "make", "show", "me", "i", "want", "where",
          "while", "it", "its", "then", "again", "one", "two", "three", "objects", "object", "shapes", "behind",
          "passes", "comes", "out", "background", "colour", "color", "colored", "coloured", "backdrop"]


def _pick(rng: np.random.Generator, options):
    return options[int(rng.integers(len(options)))]


def background_phrase(bg: dict, rng: np.random.Generator, detail: int) -> str:
    k = bg["kind"]
    if k == "plain":
        c = _pick(rng, COLOUR_WORDS[bg["colour"]])
        return _pick(rng, [f"on a {c} background", f"on {c}", f"against a plain {c} background",
                           f"in front of a {c} backdrop"] if detail else [f"on {c}", f"on a {c} background"])
    if k == "gradient":
        a, b = _pick(rng, COLOUR_WORDS[bg["top"]]), _pick(rng, COLOUR_WORDS[bg["bottom"]])
        return _pick(rng, [f"on a gradient from {a} to {b}", f"over a {a} to {b} gradient",
                           f"against a gradient background fading from {a} at the top to {b} at the bottom"])
    if k == "day":
        return _pick(rng, ["in a day sky over grass", "under a blue sky above green grass", "on a sunny day",
                           "in the daytime sky over a meadow", "outside on a sunny day with grass"])
    return _pick(rng, ["at night under the stars", "in a starry night sky", "on a night sky with stars",
                       "under a dark starry sky at night"])


def object_phrase(obj: dict, rng: np.random.Generator, detail: int) -> str:
    """'a small red ball' (detail 0 may drop the size)."""
    colour = _pick(rng, COLOUR_WORDS[obj["colour"]])
    shape = _pick(rng, SHAPE_WORDS[obj["shape"]])
    if detail == 0 and rng.random() < 0.6:
        words = f"{colour} {shape}"
    else:
        words = f"{_pick(rng, SIZE_WORDS[obj['size']])} {colour} {shape}"
    article = "an" if words[0] in "aeiou" else "a"
    return f"{article} {words}"


def motion_phrase(obj: dict, rng: np.random.Generator, detail: int) -> str:
    m = obj["motion"]
    speed = _pick(rng, SPEED_WORDS[obj["speed"]]) if detail or rng.random() < 0.5 else ""
    return re.sub(" +", " ", _pick(rng, MOTION_PHRASES[m]).format(speed=speed)).strip()


def caption(scene: dict, rng: np.random.Generator, detail: int | None = None) -> str:
    """One caption of a scene; detail 0 short, 1 medium, 2 long; random phrasing from rng."""
    if detail is None:
        detail = int(rng.choice([0, 1, 2], p=[0.3, 0.4, 0.3]))
    objs = scene["objects"]
    clauses = []
    for i, o in enumerate(objs):
        subject = object_phrase(o, rng, detail)
        if scene.get("occlusion") and i == 0 and detail > 0:
            front = object_phrase(objs[1], rng, detail)
            clauses.append(f"{subject} {motion_phrase(o, rng, detail)} and passes behind {front}")
        elif detail == 0 and rng.random() < 0.5:
            clauses.append(f"{subject} {MOTION_SHORT[o['motion']]}")
        else:
            clauses.append(f"{subject} {motion_phrase(o, rng, detail)}")
    if detail == 0:
        text = " and ".join(clauses)
        if rng.random() < 0.5:
            text += " " + background_phrase(scene["background"], rng, 0)
        if scene["camera"] != "static":
            text += ", " + _pick(rng, CAMERA_PHRASES[scene["camera"]])
        return text
    text = " and ".join(clauses) if detail == 1 else ". ".join(c[0].upper() + c[1:] for c in clauses)
    text += " " + background_phrase(scene["background"], rng, detail)
    if detail == 2 or scene["camera"] != "static":
        cam = _pick(rng, CAMERA_PHRASES[scene["camera"]])
        text += (". " + cam[0].upper() + cam[1:] + ".") if detail == 2 else ", " + cam
    elif detail == 2:
        text += "."
    return text[0].upper() + text[1:] if detail == 2 else text


# ----------------------------------------------------------------------------------------------
# Tokenizer
# ----------------------------------------------------------------------------------------------

def normalise(text: str) -> list[str]:
    """Rules 1-3: lowercase, non-alphanumerics to spaces, split."""
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).split()


def all_vocabulary_words() -> list[str]:
    """Every word a caption can contain (used to (re)write vocab.txt; sorted for stability)."""
    words = set(FILLER)
    groups = [COLOUR_WORDS, SHAPE_WORDS, SIZE_WORDS, SPEED_WORDS, MOTION_PHRASES, CAMERA_PHRASES, MOTION_SHORT]
    for g in groups:
        for v in g.values():
            for phrase in (v if isinstance(v, list) else [v]):
                words.update(normalise(phrase.replace("{speed}", "")))
    for k in ("plain", "gradient", "day", "night"):
        rng = np.random.default_rng(0)
        for _ in range(200):
            bg = {"kind": k, "colour": "red", "top": "red", "bottom": "blue"}
            words.update(normalise(background_phrase(bg, rng, 1)))
            words.update(normalise(background_phrase(bg, rng, 0)))
    for c in world.COLOURS:
        words.update(COLOUR_WORDS[c])
    words.discard(PAD)
    return sorted(words)


def write_vocabulary(path: str = VOCAB_PATH) -> None:
    with open(path, "w") as f:
        f.write("\n".join([PAD] + all_vocabulary_words()) + "\n")


class Tokenizer:
    """Words -> ids with the fixed vocabulary; see the module docstring for the rules."""

    def __init__(self, path: str = VOCAB_PATH, max_tokens: int = MAX_TOKENS):
        with open(path) as f:
            self.words = [w for w in f.read().split("\n") if w]
        assert self.words[0] == PAD, "vocab.txt must start with [pad]"
        self.ids = {w: i for i, w in enumerate(self.words)}
        self.max_tokens = max_tokens

    def __len__(self) -> int:
        return len(self.words)

    def encode(self, text: str) -> np.ndarray:
        """int64 ids [max_tokens], 0-padded."""
        ids = [self.ids[w] for w in normalise(text) if w in self.ids][: self.max_tokens]
        out = np.zeros(self.max_tokens, np.int64)
        out[: len(ids)] = ids
        return out

    def batch(self, texts) -> np.ndarray:
        return np.stack([self.encode(t) for t in texts])
