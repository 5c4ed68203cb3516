"""v3's scene condition: the scene tokens, the recipe's shares, the noise shift and the warm start."""
import numpy as np
import torch

import train
from kinora import data, scene_tokens, training, world
from kinora.generator import CONFIGS, Generator
from kinora.scene_tokens import INDEX, SceneEncoder, scene_ids

LAYOUT = data.LatentLayout(video=True, space_factor=4, time_factor=4)


def test_scene_ids_name_every_part_of_the_scene():
    scene = {"background": {"kind": "gradient", "top": "pink", "bottom": "gray"}, "camera": "static",
             "objects": [{"colour": "red", "shape": "star", "size": "small", "motion": "left", "speed": "quickly"},
                         {"colour": "blue", "shape": "circle", "size": "large", "motion": "still", "speed": "slowly"}]}
    ids = scene_ids(scene)
    words = [[scene_tokens.VOCAB[i] for i in row if i] for row in ids]
    assert words[0] == ["role:background", "bg:gradient", "bgtop:pink", "bgbottom:gray"]
    assert words[1] == ["role:camera", "camera:static"]
    assert words[2] == ["role:object", "slot:1", "colour:red", "shape:star", "size:small", "motion:left", "speed:quickly"]
    assert words[3][1:3] == ["slot:2", "colour:blue"]
    assert words[4] == []                                   # no third object: no token


def test_every_sampled_scene_encodes_and_a_dropped_scene_is_empty():
    for seed in range(200):
        ids = scene_ids(world.sample_scene(seed))
        assert ids.shape == (scene_tokens.TOKENS, scene_tokens.FIELDS) and ids.max() < len(scene_tokens.VOCAB)
    assert not scene_ids(None).any()


def test_the_encoder_sums_field_embeddings_and_masks_absent_tokens():
    enc = SceneEncoder(8)
    scene = world.sample_scene(3)
    ids = torch.from_numpy(np.stack([scene_ids(scene), scene_ids(None)]))
    tokens, mask = enc(ids)
    assert mask[0].tolist() == [1.0, 1.0] + [1.0 if i < len(scene["objects"]) else 0.0 for i in range(3)]
    assert mask[1].sum() == 0 and tokens[1].abs().sum() == 0
    cam = enc.table.weight[INDEX["role:camera"]] + enc.table.weight[INDEX[f"camera:{scene['camera']}"]]
    assert torch.allclose(tokens[0, 1], cam)


def test_one_changed_part_changes_one_token():
    enc = SceneEncoder(8)
    scene = world.sample_scene(5)
    other = {**scene, "objects": [dict(scene["objects"][0], shape="star" if scene["objects"][0]["shape"] != "star" else "circle")]
             + scene["objects"][1:]}
    a, _ = enc(torch.from_numpy(scene_ids(scene))[None])
    b, _ = enc(torch.from_numpy(scene_ids(other))[None])
    changed = (a - b).abs().sum(-1)[0] > 0
    assert changed.tolist() == [False, False, True, False, False]


def test_recipe_shares_are_what_they_say():
    rng = np.random.default_rng(0)
    recipe = data.Recipe(condition="scene", image_share=0.4, empty_share=0.3, given_share=0.2)
    frames = [data.latent_frames(rng, recipe) for _ in range(3000)]
    assert abs(np.mean(np.array(frames) == 1) - 0.4) < 0.03
    empty = [not data.draw_scene(rng, recipe, "train")["objects"] for _ in range(1000)]
    assert abs(np.mean(empty) - 0.3) < 0.05
    given = [data.given_frames(rng, 5, recipe).any() for _ in range(3000)]
    assert abs(np.mean(given) - 0.2) < 0.03


def test_a_scene_batch_carries_scene_ids_and_fixed_seeds_repeat_their_clips():
    recipe = data.Recipe(condition="scene", fixed_seeds=(1, 2))
    batch = data.render_dit_batch(np.random.default_rng(1), LAYOUT, None, 1024, 4, 0.0, patch=2, recipe=recipe)
    assert batch["ids"].shape[1:] == (scene_tokens.TOKENS, scene_tokens.FIELDS)
    assert batch["videos"].shape[1:] == (17, 64, 64, 3) and not batch["cond"].any()
    allowed = {scene_ids(world.sample_scene(s)).tobytes() for s in (1, 2)}
    assert all(ids.tobytes() in allowed for ids in batch["ids"])
    again = data.render_dit_batch(np.random.default_rng(2), LAYOUT, None, 1024, 4, 0.0, patch=2, recipe=recipe)
    clips = {v.tobytes() for v in batch["videos"]} | {v.tobytes() for v in again["videos"]}
    assert len(clips) <= 2                                  # one clip per seed, always the same


def test_noise_shift_moves_training_towards_high_noise():
    seen = {}

    def model(x, t, ids):
        seen["t"] = t
        return torch.zeros_like(x)
    z, cond = torch.zeros(4000, 1, 1, 1, 1), torch.zeros(4000, 1, dtype=torch.bool)
    share = {}
    for shift in (1.0, 3.0):
        training.flow_matching_loss(model, z, None, cond, torch.Generator().manual_seed(0), t_shift=shift)
        share[shift] = (seen["t"] > 0.875).float().mean().item()
    assert share[1.0] < 0.1 < 0.15 < share[3.0]


def test_warm_start_copies_the_dit_and_leaves_the_condition_new(tmp_path):
    text = Generator(CONFIGS["tiny"](vocab_size=20, latent_channels=4))
    path = str(tmp_path / "v2.pt")
    torch.save({"model": text.state_dict(), "ema": text.state_dict()}, path)
    cfg = CONFIGS["tiny"](vocab_size=20, latent_channels=4)
    cfg.condition = "scene"
    scene = Generator(cfg)
    fresh_table = scene.scene.table.weight.clone()
    train.warm_start(scene, path, rank=1)
    for k, v in text.dit.state_dict().items():
        assert torch.equal(scene.dit.state_dict()[k], v), k
    assert torch.equal(scene.scene.table.weight, fresh_table)
    out = scene(torch.randn(1, 4, 2, 8, 8), torch.rand(1, 2), torch.from_numpy(scene_ids(world.sample_scene(0)))[None])
    assert out.shape == (1, 4, 2, 8, 8)


def test_dropped_parts_keep_roles_and_slots_and_stay_packed():
    rng = np.random.default_rng(0)
    ids = scene_ids(world.sample_scene(11))
    roles = {INDEX[w] for w in scene_tokens.VOCAB if w.startswith(("role:", "slot:"))}
    dropped_some = False
    for _ in range(50):
        out = scene_tokens.drop_parts(ids, rng)
        for k in range(scene_tokens.TOKENS):
            kept = [i for i in out[k] if i]
            assert list(out[k, :len(kept)]) == kept                       # packed from field 0
            assert set(kept) <= set(ids[k]) and {i for i in ids[k] if i in roles} <= set(kept)
        dropped_some |= (out != ids).any()
    assert dropped_some and scene_tokens.drop_parts(ids, rng, p=0.0).tolist() == ids.tolist()


def test_text_and_scene_batches_of_one_seed_hold_the_same_clips():
    from kinora import captions
    tok = captions.Tokenizer()
    text = data.render_dit_batch(np.random.default_rng(7), LAYOUT, tok, 1024, 8, 0.1, patch=2)
    scene = data.render_dit_batch(np.random.default_rng(7), LAYOUT, tok, 1024, 8, 0.1, patch=2, recipe=data.Recipe(condition="scene"))
    assert np.array_equal(text["videos"], scene["videos"]) and np.array_equal(text["cond"], scene["cond"])
    assert (text["ids"].sum(axis=1) == 0).tolist() == (scene["ids"].sum(axis=(1, 2)) == 0).tolist()   # the same clips dropped


def test_the_memorisation_check_draws_stills_when_asked():
    recipe = data.Recipe(condition="scene", fixed_seeds=(1, 2), image_share=1.0)
    batch = data.render_dit_batch(np.random.default_rng(3), LAYOUT, None, 1024, 16, 0.0, patch=2, recipe=recipe)
    assert batch["videos"].shape[1:] == (1, 64, 64, 3) and len(batch["videos"]) == 16
