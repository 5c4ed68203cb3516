import json
import os

import numpy as np
import torch

import train
from kinora import data, training
from kinora import captions
from kinora.generator import CONFIGS, Generator
from kinora.vae import VAE, VAE_T


def test_condition_masks():
    rng = np.random.default_rng(0)
    seen = set()
    for _ in range(300):
        m = data.condition_mask(rng, 8)
        seen.add(tuple(m))
        assert not m.all()                      # at least one frame is generated
    assert (False,) * 8 in seen and (True,) + (False,) * 7 in seen and (True,) + (False,) * 6 + (True,) in seen
    assert not data.condition_mask(rng, 1).any()


def test_loss_ignores_conditioned_frames():
    z = torch.randn(2, 4, 3, 8, 8)
    cond = torch.tensor([[True, False, False], [False, False, True]])
    ids = torch.zeros(2, captions.MAX_TOKENS, dtype=torch.long)
    seen_t = []

    def model(x, t, ids):
        seen_t.append(t)
        v = torch.zeros_like(x)
        v[:, :, 0] = 100.0                                     # wrong only on frame 0
        v[1] = 0.0
        return v
    a = training.flow_matching_loss(model, z, ids, cond, torch.Generator().manual_seed(0))
    assert (seen_t[0][cond] == 0).all() and (seen_t[0][~cond] > 0).all()
    b = training.flow_matching_loss(lambda x, t, i: torch.zeros_like(x), z, ids, cond, torch.Generator().manual_seed(0))
    assert torch.allclose(a, b)                                # frame 0 of sample 0 is a condition: not scored


def test_object_cells_cover_every_object_pixel():
    # Independent reference: the same scene rendered without its objects; every 8x8 cell where the
    # two renders differ clearly holds part of an object and must be marked.
    from kinora import world
    for seed in range(6):
        scene = world.sample_scene(seed)
        video, truth = world.render(scene, 112, 64, 6)
        empty, _ = world.render(dict(scene, objects=[]), 112, 64, 6)
        cells = data.object_cells(truth, 6, 8, 14)                                 # [T, h, w]
        differs = (np.abs(video.astype(int) - empty.astype(int)).max(-1) > 40)       # [T, H, W]
        per_cell = differs.reshape(6, 8, 8, 14, 8).sum(axis=(2, 4))                 # [T, h, w]
        assert cells[per_cell >= 2].min() == 1.0
        assert 0 < cells.mean() < 0.6                                               # and not everything


def test_foreground_weight_counts_object_cells_more():
    z = torch.randn(1, 4, 2, 8, 8)
    ids = torch.zeros(1, captions.MAX_TOKENS, dtype=torch.long)
    cond = torch.zeros(1, 2, dtype=torch.bool)
    fg = torch.zeros(1, 2, 8, 8)
    fg[:, :, 2:4, 2:4] = 1.0

    def wrong_on_objects(x, t, ids):
        return torch.zeros_like(x) + 50.0 * fg[:, None]        # error concentrated on the object cells
    plain = training.flow_matching_loss(wrong_on_objects, z, ids, cond, torch.Generator().manual_seed(0))
    weighted = training.flow_matching_loss(wrong_on_objects, z, ids, cond, torch.Generator().manual_seed(0), fg, 4.0)
    no_objects = training.flow_matching_loss(wrong_on_objects, z, ids, cond, torch.Generator().manual_seed(0),
                                          torch.zeros_like(fg), 4.0)
    assert weighted > 2 * plain
    assert torch.allclose(no_objects, plain)


def test_tiny_training_lowers_the_loss():
    torch.manual_seed(0)
    vae = VAE(VAE_T()).eval().requires_grad_(False)
    tok = captions.Tokenizer()
    gen = Generator(CONFIGS["tiny"](vocab_size=len(tok)))
    opt = torch.optim.AdamW(gen.parameters(), lr=2e-3)
    from kinora import world
    from kinora.vae import video_to_frames
    scenes = [world.sample_scene(s) for s in range(4)]
    frames = video_to_frames(np.stack([world.render(s, 64, 64, 4)[0] for s in scenes]))    # [4, 4, 3, 64, 64]
    with torch.no_grad():
        z = vae.encode(frames.flatten(0, 1)).view(4, 4, 4, 8, 8).permute(0, 2, 1, 3, 4)      # [B, C, T, h, w]
    z = z / z.std()
    ids = torch.from_numpy(tok.batch([captions.caption(s, np.random.default_rng(0)) for s in scenes]))
    cond = torch.tensor([[False] * 4, [True, False, False, False], [False] * 4, [False, False, False, True]])
    losses = []
    for step in range(30):
        loss = training.flow_matching_loss(gen, z, ids, cond, torch.Generator().manual_seed(step % 4))
        opt.zero_grad(); loss.backward(); opt.step()
        losses.append(loss.item())
    assert np.mean(losses[-4:]) < 0.8 * np.mean(losses[:4])


def test_cli_trains_both_stages_and_resumes(tmp_path):
    vae_run, dit_run = str(tmp_path / "vae"), str(tmp_path / "dit")
    train.main(["--stage", "vae", "--vae-config", "vae_t", "--run", vae_run, "--steps", "3", "--batch", "4",
                "--log-every", "1", "--threads", "2"])
    ck = torch.load(os.path.join(vae_run, "last.pt"))
    assert ck["step"] == 3 and ck["model"]["latent_std"].gt(0).all()
    args = ["--stage", "dit", "--config", "tiny", "--vae", os.path.join(vae_run, "last.pt"), "--run", dit_run,
            "--batch-tokens", "64", "--log-every", "1", "--threads", "2"]
    train.main(args + ["--steps", "2"])
    train.main(args + ["--steps", "4"])                       # resumes at step 2
    ck = torch.load(os.path.join(dit_run, "last.pt"))
    assert ck["step"] == 4 and set(ck["ema"]) == set(ck["model"])
    rows = open(os.path.join(dit_run, "log.csv")).read().strip().split("\n")
    assert rows[0].startswith("step,") and [r.split(",")[0] for r in rows[1:]] == ["1", "2", "3", "4"]
    assert json.load(open(os.path.join(dit_run, "args.json")))["config"] == "tiny"
