import numpy as np

from kinora import captions, world


def test_every_caption_word_is_in_the_vocabulary():
    tok = captions.Tokenizer()
    rng = np.random.default_rng(0)
    for seed in range(500):
        scene = world.sample_scene(seed, split="any")
        for detail in (0, 1, 2):
            words = captions.normalise(captions.caption(scene, rng, detail))
            missing = [w for w in words if w not in tok.ids]
            assert not missing, (missing, scene)
            assert len(words) <= tok.max_tokens


def test_vocabulary_file_is_current():
    with open(captions.VOCAB_PATH) as f:
        assert f.read().split("\n")[:-1] == [captions.PAD] + captions.all_vocabulary_words()


def test_captions_name_the_ground_truth():
    rng = np.random.default_rng(1)
    for seed in range(100):
        scene = world.sample_scene(seed)
        text = captions.caption(scene, rng, detail=1).lower()
        for o in scene["objects"]:
            assert any(w in text for w in captions.COLOUR_WORDS[o["colour"]])
            assert any(w in text for w in captions.SHAPE_WORDS[o["shape"]])


def test_levels_of_detail_differ_in_length():
    rng = np.random.default_rng(2)
    lengths = {d: np.mean([len(captions.caption(world.sample_scene(s), rng, d).split()) for s in range(100)]) for d in (0, 1, 2)}
    assert lengths[0] < lengths[1] < lengths[2]


def test_tokenizer_normalisation():
    tok = captions.Tokenizer()
    a = tok.encode("a red ball bounces")
    assert np.array_equal(a, tok.encode("  A RED Ball, bounces!!! "))
    assert np.array_equal(a, tok.encode("a red xyzzy ball bounces"))          # unknown words are dropped
    assert a.shape == (captions.MAX_TOKENS,) and (a[:4] > 0).all() and (a[4:] == 0).all()
    assert (tok.encode("") == 0).all()
    assert (tok.encode("red " * 200) > 0).all()                              # truncated to max_tokens
    assert tok.words[0] == "[pad]"
