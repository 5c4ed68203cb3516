import shutil

import numpy as np
import pytest

from kinora import scorer, world


def videos(n, seed0=5000):
    out = []
    for s in range(n):
        scene = world.sample_scene(seed0 + s, split="any")
        w, h = world.ASPECTS[["1:1", "16:9", "9:16"][s % 3]]
        out.append((world.render(scene, w, h, 16)[0], scene))
    return out


def test_scorer_on_ground_truth_and_noise():
    data = videos(24)
    truth = scorer.summarise([scorer.score(v, s) for v, s in data])
    rng = np.random.default_rng(0)
    noise = scorer.summarise([scorer.score(rng.integers(0, 256, v.shape, dtype=np.uint8), s) for v, s in data])
    for attr in ("colour", "shape", "count", "direction"):
        assert truth[attr]["accuracy"] >= 0.85, (attr, truth)
    assert truth["identity"]["accuracy"] >= 0.75, truth
    for attr in ("colour", "shape", "count", "identity"):
        assert noise[attr]["accuracy"] <= 0.3, (attr, noise)


def test_scorer_tells_attributes_apart():
    """Scoring a render against another prompt's ground truth must fail on what differs."""
    def scene(colour, shape, motion):
        obj = {"colour": colour, "shape": shape, "size": "large", "motion": motion, "speed": "slowly",
               "start": [0.5, 0.5] if motion != "bounce" else [0.5, 0.2], "z": 0, "phase": 0.3, "drift": 0.0}
        return {"background": {"kind": "plain", "colour": "white"}, "camera": "static", "objects": [obj], "occlusion": False}
    video, _ = world.render(scene("red", "star", "left"), 64, 64, 16)
    assert scorer.score(video, scene("red", "star", "left"))["colour"] is True
    r = scorer.score(video, scene("blue", "circle", "right"))
    assert r["colour"] is False and r["direction"] is False
    for shape in world.SHAPES:
        v, _ = world.render(scene("green", shape, "still"), 64, 64, 4)
        assert scorer.score(v, scene("green", shape, "still"))["shape"] is True, shape
    b, _ = world.render(scene("red", "circle", "bounce"), 64, 64, 16)
    assert scorer.score(b, scene("red", "circle", "bounce"))["physics"] is True
    assert scorer.score(b, scene("red", "circle", "fall"))["physics"] is False


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")
def test_scorer_reads_mp4(tmp_path):
    video, scene = videos(1, 42)[0]
    path = str(tmp_path / "clip.mp4")
    scorer.write_mp4(path, video)
    back = scorer.read_mp4(path)
    assert back.shape == video.shape
    assert np.abs(back.astype(int) - video.astype(int)).mean() < 4
    a, b = scorer.score(video, scene), scorer.score(back, scene)
    assert a["colour"] == b["colour"] and a["measured"]["shape"] == b["measured"]["shape"]
