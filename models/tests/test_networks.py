import pytest
import torch

from kinora import captions, dit as dit_module
from kinora.generator import CONFIGS, Generator
from kinora.text_encoder import TextEncoder
from kinora.vae import VAE, VAE_S, VAE_T

torch.manual_seed(0)


@pytest.mark.parametrize("cfg", [VAE_S, VAE_T])
@pytest.mark.parametrize("hw", [(64, 64), (64, 112), (112, 64)])
def test_vae_shapes(cfg, hw):
    vae = VAE(cfg()).eval()
    x = torch.rand(3, 3, *hw) * 2 - 1
    z = vae.encode(x)
    assert z.shape == (3, 4, hw[0] // 8, hw[1] // 8)
    assert vae.decode(z).shape == x.shape
    loss, mse, kl = vae(x)
    assert loss.ndim == 0 and torch.isfinite(loss)


def test_text_encoder_shapes_and_mask():
    tok = captions.Tokenizer()
    enc = TextEncoder(len(tok), captions.MAX_TOKENS, 64, 2, 2)
    ids = torch.from_numpy(tok.batch(["a red ball bounces", ""]))
    text, mask = enc(ids)
    assert text.shape == (2, captions.MAX_TOKENS, 64) and mask.shape == (2, captions.MAX_TOKENS)
    assert mask[0, :4].eq(1).all() and mask[0, 4:].eq(0).all() and mask[1].eq(0).all()
    assert torch.isfinite(text).all()


def make(config="tiny"):
    return Generator(CONFIGS[config](vocab_size=len(captions.Tokenizer())))


@pytest.mark.parametrize("shape", [(2, 4, 1, 8, 8), (1, 4, 5, 8, 14), (2, 4, 3, 14, 8)])
def test_dit_shapes(shape):
    gen = make()
    x = torch.randn(shape)
    ids = torch.randint(0, 50, (shape[0], captions.MAX_TOKENS))
    assert gen(x, torch.rand(shape[0], shape[2]), ids).shape == shape


def test_adaln_zero_initial_output_is_zero():
    gen = make()
    v = gen(torch.randn(1, 4, 2, 8, 8), torch.rand(1, 2), torch.randint(0, 50, (1, captions.MAX_TOKENS)))
    assert v.abs().max() == 0


def randomise(gen):
    with torch.no_grad():
        for p in gen.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    return gen


def test_patchify_round_trip_and_order():
    d = make().dit
    x = torch.randn(2, 4, 3, 8, 14)
    p = d.patchify(x)
    assert p.shape == (2, 3, 4 * 7, 16)
    # token (f=1, i=2, j=3), feature (c=2, a=1, b=0) is x[c, f, 2i + a, 2j + b]
    assert p[0, 1, 2 * 7 + 3, 2 * 4 + 1 * 2 + 0] == x[0, 2, 1, 5, 6]
    assert torch.equal(d.unpatchify(p, 4, 7), x)


def test_rope_is_relative():
    """Scores after RoPE depend only on position differences: shifting every position changes nothing."""
    hd = 32
    cos, sin = dit_module.rope_angles(6, 4, 4, hd)                          # [96, 16]
    q, k = torch.randn(1, 1, 96, hd), torch.randn(1, 1, 96, hd)
    idx = torch.arange(96).view(6, 4, 4)
    a = idx[:3, :2, :2].reshape(-1)
    b = idx[2:5, 1:3, 2:4].reshape(-1)                                      # same layout, shifted by (2, 1, 2)
    s = lambda ids: dit_module.apply_rope(q[:, :, ids], cos[ids], sin[ids]) @ dit_module.apply_rope(k[:, :, ids], cos[ids], sin[ids]).transpose(-1, -2)
    qa = q[:, :, a]
    q[:, :, b] = qa
    k[:, :, b] = k[:, :, a]
    assert torch.allclose(s(a), s(b), atol=1e-4)
    assert dit_module.rope_split(32) == (8, 12, 12) and dit_module.rope_split(64) == (16, 24, 24)


def test_empty_caption_ignores_text_values():
    gen = randomise(make())
    x, t = torch.randn(1, 4, 2, 8, 8), torch.rand(1, 2)
    text = torch.randn(1, captions.MAX_TOKENS, gen.cfg.d_text)
    mask = torch.zeros(1, captions.MAX_TOKENS)
    a = gen.dit(x, t, text, mask)
    b = gen.dit(x, t, text * 7 + 1, mask)
    assert torch.isfinite(a).all() and torch.allclose(a, b)
    c = gen.dit(x, t, text, torch.ones(1, captions.MAX_TOKENS))
    assert not torch.allclose(a, c)


def test_noise_level_is_per_frame():
    """Frame 1's noise level changes frame 1's modulation; all frames see each other through attention."""
    gen = randomise(make())
    x, ids = torch.randn(1, 4, 3, 8, 8), torch.randint(1, 50, (1, captions.MAX_TOKENS))
    a = gen(x, torch.tensor([[0.0, 0.5, 0.5]]), ids)
    b = gen(x, torch.tensor([[0.0, 0.9, 0.5]]), ids)
    assert not torch.allclose(a[:, :, 1], b[:, :, 1])
