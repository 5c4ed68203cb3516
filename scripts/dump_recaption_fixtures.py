"""Dumps the recaptioner's Python-side fixtures (run from models/ with the system Python):

    cd models && /usr/bin/python3 ../scripts/dump_recaption_fixtures.py

tests/fixtures/recaption-captions.json  300 random scenes (world.sample_scene, split "any"), each with
    one caption at every detail level written by captions.caption: the property test parses each
    caption back and expects its own scene.
tests/fixtures/recaption-free-suite.json  the 51 prompts of kinora.free_suite.PROMPTS with the scene
    each asks for (None where the prompt names no size, speed or background), for the corpus.
Reads models/ only; writes only the two fixtures.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.getcwd())
from kinora import captions, free_suite, world  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SCENES = 300
FIRST_SEED = 140_000   # far from the seeds the evaluation suites use


def scene_fields(scene: dict) -> dict:
    """The parts of a scene a caption can say (placement, z and phase are the renderer's business)."""
    objects = [{k: o[k] for k in ("colour", "shape", "size", "motion", "speed")} for o in scene["objects"]]
    return {"objects": objects, "background": scene["background"], "camera": scene["camera"],
            "occlusion": bool(scene["occlusion"])}


def main() -> None:
    cases = []
    for i in range(SCENES):
        seed = FIRST_SEED + i
        scene = world.sample_scene(seed, split="any")
        rng = np.random.default_rng(seed)
        texts = [captions.caption(scene, rng, detail) for detail in (0, 1, 2)]
        cases.append({"seed": seed, "scene": scene_fields(scene), "captions": texts})
    with open(os.path.join(ROOT, "tests/fixtures/recaption-captions.json"), "w") as f:
        json.dump({"source": "models/kinora/captions.py via scripts/dump_recaption_fixtures.py", "cases": cases}, f, indent=0)
        f.write("\n")
    prompts = []
    for group, prompt, objects, background, camera in free_suite.PROMPTS:
        prompts.append({"group": group, "prompt": prompt, "background": background, "camera": camera,
                        "objects": [{"colour": c, "shape": s, "motion": m, "size": size, "speed": speed}
                                    for c, s, m, size, speed in objects]})
    with open(os.path.join(ROOT, "tests/fixtures/recaption-free-suite.json"), "w") as f:
        json.dump({"source": "models/kinora/free_suite.py PROMPTS", "prompts": prompts}, f, indent=1)
        f.write("\n")
    print(f"{len(cases)} scenes x 3 captions, {len(prompts)} free-suite prompts")


if __name__ == "__main__":
    main()
