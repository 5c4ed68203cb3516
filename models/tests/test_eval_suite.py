import numpy as np

import eval as kinora_eval
from kinora import captions, scorer, world


def test_suite_is_fixed_and_contains_every_held_out_composition():
    a, b = kinora_eval.prompt_suite(), kinora_eval.prompt_suite()
    assert [c for _, _, c in a] == [c for _, _, c in b]
    held = [s for g, s, _ in a if g == "heldout"]
    assert {(s["objects"][0]["colour"], s["objects"][0]["shape"]) for s in held} >= set(world.HELD_OUT_COLOUR_SHAPE)
    assert {(s["objects"][0]["shape"], s["objects"][0]["motion"]) for s in held} >= set(world.HELD_OUT_SHAPE_MOTION)
    assert all(not world.scene_is_held_out(s) for g, s, _ in a if g == "train")
    tok = captions.Tokenizer()
    for _, _, text in a:
        assert len(captions.normalise(text)) == int((tok.encode(text) > 0).sum())   # every word known


def test_suite_ground_truth_scores_high():
    suite = kinora_eval.prompt_suite()[::3]
    res = [scorer.score(world.render(s, 64, 64, 16)[0], s) for _, s, _ in suite]
    acc = scorer.summarise(res)
    assert all(v["accuracy"] >= 0.8 for v in acc.values() if v["accuracy"] is not None), acc


def _run_eval_suite(*args):
    import json, os, subprocess, sys
    script = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "eval_suite.py")
    return json.loads(subprocess.check_output([sys.executable, script, *args]))


def test_long_video_measure_sees_an_object_kept_and_one_that_vanishes(tmp_path):
    # The long-video measure on ground-truth 4-s videos of three suite scenes keeps everything;
    # the same measure on videos whose object vanishes after 2 s does not.
    suite = kinora_eval.prompt_suite()
    kept, vanished = tmp_path / "kept", tmp_path / "vanished"
    kept.mkdir(), vanished.mkdir()
    for i in (0, 1, 10):
        scene = suite[i][1]
        video, _ = world.render(scene, 64, 64, 32)
        scorer.write_mp4(str(kept / f"{i}.mp4"), video)
        empty, _ = world.render(dict(scene, objects=[]), 64, 64, 32)
        scorer.write_mp4(str(vanished / f"{i}.mp4"), np.concatenate([video[:16], empty[16:]]))
    good = _run_eval_suite("score-long", str(kept), "16")
    assert good["videos"] == 3 and [s["start_s"] for s in good["segments"]] == [0.0, 2.0]
    assert all(s["colour"] == 1.0 and s["shape"] >= 2 / 3 for s in good["segments"])
    bad = _run_eval_suite("score-long", str(vanished), "16")
    assert bad["segments"][0]["colour"] == 1.0 and bad["segments"][1]["colour"] == 0.0


def test_free_suite_scores_come_with_their_floors(tmp_path):
    # Ground truth of two free-suite scenes scores 100 %; beside it, the same scenes' background with
    # no object and uniform noise score 0 on what needs an object.
    from kinora import free_suite
    suite = free_suite.suite()
    for i in (0, 1):
        video, _ = world.render(suite[i][1], 64, 64, 17)
        scorer.write_mp4(str(tmp_path / f"{i}-0.mp4"), video)
    table = _run_eval_suite("score-free", str(tmp_path), "64")
    assert table["videos"]["count"] == 2 and table["all"]["colour"] == 1.0
    assert table["floor_background"]["colour"] == 0.0 and table["floor_background"]["count"] == 0.0
    assert set(table["floor_noise"]) == set(table["all"])
