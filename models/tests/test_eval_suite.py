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
