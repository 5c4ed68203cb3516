"""Writes tests/fixtures/scene-condition/: what tests/unit/scene-condition.test.ts holds the browser's
scene lookup (src/model/scene-condition.ts) against, computed here by kinora/scene_tokens.py:

  table.safetensors  a seeded SceneEncoder table [len(VOCAB), 16] (F32)
  cases.json         {"facts": the manifest's condition, "cases": [{scene, ids, text, mask}]}: world
                     scenes of every kind, each with its ids [TOKENS, FIELDS] and tokens [TOKENS, 16]

  /usr/bin/python3 models/tools/dump_scene_condition_fixture.py
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import export                                                     # noqa: E402
from kinora import scene_tokens, world                            # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "tests", "fixtures", "scene-condition")


def main():
    torch.manual_seed(3)
    enc = scene_tokens.SceneEncoder(16)
    os.makedirs(OUT, exist_ok=True)
    export.write_safetensors(os.path.join(OUT, "table.safetensors"), {"table": enc.table.weight.detach().float()})
    scenes = [world.sample_scene(seed, split="any") for seed in range(40)]
    scenes.append({**world.sample_scene(99), "objects": [], "occlusion": False})          # an empty scene
    cases = []
    with torch.no_grad():
        for scene in scenes:
            ids = torch.from_numpy(scene_tokens.scene_ids(scene))[None]
            text, mask = enc(ids)
            keep = {k: scene[k] for k in ("background", "camera", "occlusion")}
            keep["objects"] = [{k: o[k] for k in ("colour", "shape", "size", "motion", "speed")} for o in scene["objects"]]
            cases.append({"scene": keep, "ids": ids[0].tolist(), "text": [[round(v, 6) for v in row] for row in text[0].tolist()],
                          "mask": mask[0].tolist()})
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump({"facts": export.scene_condition_facts(), "cases": cases}, f)
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
