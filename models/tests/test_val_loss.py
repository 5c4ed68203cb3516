"""The held-out loss used to compare short DiT runs: fixed inputs, and a text gap that is 0 exactly
when the caption changes nothing."""
import torch

import val_loss
from kinora import captions
from kinora.generator import CONFIGS, Generator
from kinora.video_vae import VIDEO_VAE_CONFIGS, VideoVAE


def test_fixed_inputs_and_text_gap():
    torch.manual_seed(0)
    vae = VideoVAE(VIDEO_VAE_CONFIGS["tiny"]()).eval()
    gen = Generator(CONFIGS["tiny"](vocab_size=len(captions.Tokenizer()), latent_channels=8, pooled_text=True)).eval()
    a = val_loss.fixed_batches(vae, 2, 2, "train")
    b = val_loss.fixed_batches(vae, 2, 2, "train")
    assert all(torch.equal(x[0], y[0]) and torch.equal(x[1], y[1]) for x, y in zip(a, b))
    # a fresh DiT (adaLN-Zero) predicts 0 whatever the text: no gap
    fresh = val_loss.losses(gen, a)
    assert abs(fresh["text_gap"]) < 1e-9 and fresh["loss"] > 0
    with torch.no_grad():                                   # make the pooled text drive the output
        for p in gen.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    assert abs(val_loss.losses(gen, a)["text_gap"]) > 1e-6
