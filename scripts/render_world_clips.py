"""Renders clips of Kinora's procedural world (models/kinora/world.py, the ground truth the models
learned from) as raw RGB frames, for scripts/bench-watermark.ts: videos that look like Kinora's
but were never made by it, so none may carry its watermark.

usage: python3 scripts/render_world_clips.py --count N --seed S --out DIR
Writes DIR/world-<i>.rgb (frames x height x width x 3 bytes) and DIR/world.json listing each clip.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "models"))
from kinora.world import ASPECTS, render, sample_scene  # noqa: E402

FRAMES = 16  # 2 s at 8 fps, as Kinora writes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    aspects = list(ASPECTS.items())
    clips = []
    for i in range(args.count):
        aspect, (width, height) = aspects[i % len(aspects)]
        scene = sample_scene(args.seed + i)
        video, _ = render(scene, width, height, FRAMES)
        name = f"world-{i}.rgb"
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(video.tobytes())
        clips.append({"file": name, "width": width, "height": height, "frames": FRAMES, "aspect": aspect,
                      "background": scene["background"]["kind"],
                      "camera": scene["camera"]})
    with open(os.path.join(args.out, "world.json"), "w") as f:
        json.dump(clips, f, indent=1)


if __name__ == "__main__":
    main()
