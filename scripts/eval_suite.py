"""The model's fixed prompt suite (models/eval.py) for `npm run eval`, and the scoring of the MP4s
the browser made for it with the one scorer (models/kinora/scorer.py); also the measures of Sora's
modes for `npm run eval -- --modes` (image to video, and a 60-s video's drift).

  /usr/bin/python3 scripts/eval_suite.py suite               -> JSON [{index, group, prompt}]
  /usr/bin/python3 scripts/eval_suite.py score DIR           -> JSON {group: {attribute: accuracy}}
  /usr/bin/python3 scripts/eval_suite.py first-frames DIR    -> writes DIR/<index>.png (frame 0 of each
                                                                single-object scene), prints the indices
  /usr/bin/python3 scripts/eval_suite.py score-i2v DIR       -> JSON: the made frames (all but the given
                                                                first) of DIR/<index>.mp4 scored, beside the
                                                                same scored on ground truth and on a still image
  /usr/bin/python3 scripts/eval_suite.py score-long DIR SEG  -> JSON: per SEG-frame segment of DIR/<index>.mp4,
                                                                the share of videos whose object keeps its
                                                                colour and its shape
  /usr/bin/python3 scripts/eval_suite.py colours DIR         -> JSON {name: {dominant_colour, colours}}: what the
                                                                scorer sees in DIR/<name>.mp4 for the scene in
                                                                DIR/scenes.json ({name: scene}), e.g. to count
                                                                how often a colour a negative prompt excludes appears
  /usr/bin/python3 scripts/eval_suite.py free-suite          -> JSON [{index, group, prompt}]: the free-phrasing
                                                                suite (models/kinora/free_suite.py), prompts as
                                                                people type them (the site recaptions them)
  /usr/bin/python3 scripts/eval_suite.py score-free DIR SIZE -> JSON {group: {attribute: accuracy}} over every
                                                                DIR/<index>-<seed>.mp4, read at SIZE x SIZE
DIR holds <index>.mp4 for every suite entry scored (64x64 frames).
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models"))
import eval as model_eval                          # noqa: E402
from kinora import free_suite, scorer, world       # noqa: E402

I2V_ATTRIBUTES = ("colour", "shape", "direction", "physics", "identity")


def single_object_entries(suite):
    """Indices of the suite's single-object scenes (train and held-out compositions)."""
    return [i for i, (group, _, _) in enumerate(suite) if group in ("train", "heldout")]


def accuracy(results, attributes):
    return {k: v["accuracy"] for k, v in scorer.summarise(results).items() if k in attributes}


def main(argv):
    suite = model_eval.prompt_suite()
    if argv[:1] == ["suite"]:
        print(json.dumps([{"index": i, "group": g, "prompt": caption} for i, (g, _, caption) in enumerate(suite)]))
        return 0
    if len(argv) == 2 and argv[0] == "score":
        results = []
        for i, (group, scene, _) in enumerate(suite):
            frames = scorer.read_mp4(os.path.join(argv[1], f"{i}.mp4"), 64, 64)
            results.append((group, scorer.score(frames, scene)))
        print(json.dumps(model_eval.accuracy_table(results)))
        return 0
    if argv[:1] == ["free-suite"]:
        print(json.dumps([{"index": i, "group": g, "prompt": prompt} for i, (g, _, prompt) in enumerate(free_suite.suite())]))
        return 0
    if len(argv) == 3 and argv[0] == "score-free":
        scenes, size = free_suite.suite(), int(argv[2])
        results, judged = [], []
        for name in sorted(f for f in os.listdir(argv[1]) if f.endswith(".mp4")):
            group, scene, _ = scenes[int(name.split("-")[0])]
            frames = scorer.read_mp4(os.path.join(argv[1], name), size, size)
            results.append((group, scorer.score(frames, scene)))
            judged.append((group, scene, len(frames)))
        table = model_eval.accuracy_table(results)
        table["videos"] = {"count": len(results)}
        # the floors beside it, on the same scenes: the right background with no object, and noise
        noise, background_only = model_eval.floor_verdicts(judged)
        table["floor_background"] = model_eval.accuracy_table(background_only)["all"]
        table["floor_noise"] = model_eval.accuracy_table(noise)["all"]
        print(json.dumps(table))
        return 0
    if len(argv) == 2 and argv[0] == "first-frames":
        from PIL import Image
        indices = single_object_entries(suite)
        for i in indices:
            video, _ = world.render(suite[i][1], 64, 64, 1)
            Image.fromarray(video[0]).save(os.path.join(argv[1], f"{i}.png"))
        print(json.dumps(indices))
        return 0
    if len(argv) == 2 and argv[0] == "score-i2v":
        made, truth, still = [], [], []
        for i in single_object_entries(suite):
            scene = suite[i][1]
            frames = scorer.read_mp4(os.path.join(argv[1], f"{i}.mp4"), 64, 64)
            made.append(scorer.score(frames[1:], scene))
            video, _ = world.render(scene, 64, 64, len(frames))
            truth.append(scorer.score(video[1:], scene))
            still.append(scorer.score(np.repeat(video[:1], len(frames) - 1, axis=0), scene))
        print(json.dumps({"model": accuracy(made, I2V_ATTRIBUTES), "ground_truth": accuracy(truth, I2V_ATTRIBUTES),
                          "still_image": accuracy(still, I2V_ATTRIBUTES), "videos": len(made)}))
        return 0
    if len(argv) == 3 and argv[0] == "score-long":
        seg = int(argv[2])
        files = sorted(int(f[:-4]) for f in os.listdir(argv[1]) if f.endswith(".mp4"))
        rows = []
        for i in files:
            scene = suite[i][1]
            frames = scorer.read_mp4(os.path.join(argv[1], f"{i}.mp4"), 64, 64)
            # Colour and shape of the object, per segment (motion verdicts need the whole scene's timing).
            rows.append([scorer.score(frames[s:s + seg], scene) for s in range(0, len(frames) - seg + 1, seg)])
        segments = min(len(r) for r in rows)
        table = [{"start_s": s * seg / world.FPS,
                  "colour": float(np.mean([r[s]["colour"] for r in rows])),
                  "shape": float(np.mean([r[s]["shape"] for r in rows])),
                  "object_seen": float(np.mean([r[s]["measured"]["dominant_colour"] is not None for r in rows]))}
                 for s in range(segments)]
        print(json.dumps({"videos": len(rows), "segment_frames": seg, "segments": table}))
        return 0
    if len(argv) == 2 and argv[0] == "colours":
        scenes = json.load(open(os.path.join(argv[1], "scenes.json")))
        seen = {name: scorer.score(scorer.read_mp4(os.path.join(argv[1], f"{name}.mp4"), 64, 64), scene)["measured"]
                for name, scene in scenes.items()}
        print(json.dumps(seen))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
