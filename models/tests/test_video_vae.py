"""v2's causal spacetime VAE: shapes, causality (an image is a one-frame video; given frames'
latents never read later frames) and its place in training and evaluation."""
import numpy as np
import pytest
import torch

from kinora import data
import vae_ceiling
from kinora import captions, free_suite, scorer, world
from kinora.generator import CONFIGS, Generator
from kinora.video_vae import VIDEO_VAE_CONFIGS, VideoVAE, VideoVAEConfig, load_vae

torch.manual_seed(0)


def close(a, b, rel: float = 1e-5) -> bool:
    """Equal up to float32 rounding of sums taken in another order (relative to b's scale)."""
    return bool((a - b).abs().max() <= rel * b.abs().max())


def tiny(**kw):
    return VideoVAE(VIDEO_VAE_CONFIGS["tiny"](**kw)).eval()


@pytest.mark.parametrize("frames", [1, 5, 9, 17])
@pytest.mark.parametrize("hw", [(64, 64), (64, 112), (112, 64)])
def test_shapes_time_and_space(frames, hw):
    vae = tiny()
    x = torch.rand(2, frames, 3, *hw) * 2 - 1
    z = vae.encode(x)
    assert z.shape == (2, 1 + (frames - 1) // 4, 8, hw[0] // 4, hw[1] // 4)
    assert vae.decode(z).shape == (2, frames, 3, 2 * hw[0], 2 * hw[1])       # upsample 2: 128 px


@pytest.mark.parametrize("name", ["t4s4", "t1s8", "t4s8"])
def test_ablation_layouts_have_equal_compression(name):
    cfg = VIDEO_VAE_CONFIGS[name]()
    values_per_latent = cfg.latent_channels
    pixels_per_latent = cfg.time_factor * cfg.space_factor ** 2 * 3
    assert pixels_per_latent / values_per_latent == 12


def test_wrong_frame_count_is_refused():
    with pytest.raises(ValueError, match="1 \\+ 4k"):
        VIDEO_VAE_CONFIGS["tiny"]().latent_frames(8)


def test_encoder_is_causal_and_an_image_is_a_one_frame_video():
    vae = tiny()
    with torch.no_grad():
        for p in vae.parameters():                 # random weights of a useful size everywhere
            p.normal_(0, 0.1)
    x = torch.rand(1, 9, 3, 64, 64) * 2 - 1
    z = vae.encode(x)
    changed = x.clone()
    changed[:, 5:] = torch.rand_like(changed[:, 5:])     # frames 5..8 are latent frame 2's
    z2 = vae.encode(changed)
    assert torch.equal(z[:, :2], z2[:, :2])
    assert not torch.allclose(z[:, 2], z2[:, 2])
    assert close(vae.encode(x[:, :1]), z[:, :1])


def test_decoder_is_causal():
    vae = tiny()
    with torch.no_grad():
        for p in vae.parameters():
            p.normal_(0, 0.1)
    z = torch.randn(1, 3, 8, 8, 8)
    y = vae.decode(z)
    z2 = z.clone()
    z2[:, 2] = torch.randn_like(z2[:, 2])
    y2 = vae.decode(z2)
    assert torch.equal(y[:, :5], y2[:, :5])                  # frames 0..4 come from latent frames 0, 1
    assert not torch.allclose(y[:, 5:], y2[:, 5:])
    assert close(vae.decode(z[:, :1]), y[:, :1])


def test_training_loss_falls_and_checkpoint_round_trips(tmp_path):
    torch.manual_seed(0)
    cfg = VIDEO_VAE_CONFIGS["tiny"]()
    vae = VideoVAE(cfg)
    x, target, weight = data.video_vae_batch(np.random.default_rng(0), 10, cfg, 4.0)
    assert target.shape[-2:] == (2 * x.shape[-2], 2 * x.shape[-1]) and weight.max() == 5.0
    opt = torch.optim.Adam(vae.parameters(), lr=3e-3)
    losses = []
    for _ in range(40):
        loss, _, _ = vae(x, target, weight, 0.5)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert np.mean(losses[-5:]) < 0.7 * np.mean(losses[:5])
    path = tmp_path / "v.pt"
    torch.save({"model": vae.state_dict(), "ema": vae.state_dict(), "config": cfg.__dict__, "kind": "video_vae"}, path)
    loaded, _ = load_vae(str(path))
    assert isinstance(loaded, VideoVAE)
    with torch.no_grad():
        assert torch.equal(loaded.encode(x), vae.eval().encode(x))


def test_dit_batch_on_latent_frames():
    vae = tiny()
    tok = captions.Tokenizer()
    rng = np.random.default_rng(3)
    for _ in range(4):
        z, ids, cond, fg = data.dit_batch(rng, vae, tok, 256, 8, 0.1, "cpu", patch=2)
        b, c, t = z.shape[:3]
        assert c == 8 and 1 <= t <= 5 and cond.shape == (b, t) and fg.shape == (b, t, *z.shape[3:])
        gen = Generator(CONFIGS["tiny"](vocab_size=len(tok), latent_channels=8, pooled_text=True))
        assert gen(z, torch.rand(b, t), ids).shape == z.shape


def test_latent_frame_cells_group_frames_causally():
    cells = np.zeros((9, 2, 2), np.float32)
    cells[0, 0, 0] = 1                      # frame 0: latent frame 0
    cells[4, 1, 1] = 1                      # frames 1..4: latent frame 1
    cells[5, 0, 1] = 1                      # frames 5..8: latent frame 2
    out = data.latent_frame_cells(cells, 4)
    assert out.shape == (3, 2, 2)
    assert out[0, 0, 0] == 1 and out[1, 1, 1] == 1 and out[2, 0, 1] == 1 and out.sum() == 3


def test_free_suite_is_people_phrased_and_complete():
    suite = free_suite.suite()
    assert len(suite) >= 48
    held = [s["objects"][0] for g, s, _ in suite if g == "heldout"]
    assert {(o["colour"], o["shape"]) for o in held} >= set(world.HELD_OUT_COLOUR_SHAPE)
    assert {(o["shape"], o["motion"]) for o in held} >= set(world.HELD_OUT_SHAPE_MOTION)
    assert all(not world.scene_is_held_out(s) for g, s, _ in suite if g == "train")
    assert sum(len(s["objects"]) > 1 for _, s, _ in suite) >= 6
    # typed, not generated: many prompts use words the model's vocabulary lacks
    tok = captions.Tokenizer()
    unknown = [p for _, _, p in suite if len(captions.normalise(p)) > int((tok.encode(p) > 0).sum())]
    assert len(unknown) >= len(suite) // 3


def test_free_suite_has_the_sites_caption_of_every_prompt():
    """eval.py feeds the model what the browser would: the saved recaption of each prompt (its
    agreement with the TypeScript recaption step is tests/unit/free-suite-captions.test.ts)."""
    prompts = [p for _, _, p in free_suite.suite()]
    assert sorted(free_suite._site_captions()) == sorted(prompts)
    assert all(free_suite.site_caption(p).startswith("A ") for p in prompts)
    assert captions.Tokenizer().encode(free_suite.site_caption(prompts[0])).tolist() != captions.Tokenizer().encode(prompts[0]).tolist()


def test_free_suite_ground_truth_is_judged_right_at_128_px():
    results = [scorer.score(world.render(s, 128, 128, free_suite.FRAMES)[0], s) for _, s, _ in free_suite.suite()[::4]]
    assert all(v["accuracy"] == 1.0 for v in scorer.summarise(results).values() if v["accuracy"] is not None)


def test_ceiling_of_an_untrained_vae_is_near_zero():
    row = vae_ceiling.ceiling(tiny(), frames=5)
    assert row["output_px"] == 128 and row["accuracy"]["shape"] < 0.3 and row["psnr_db"] < 20
