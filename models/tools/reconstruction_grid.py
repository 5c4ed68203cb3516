"""A picture of what a VAE keeps: rows of ground truth and its reconstruction for free-suite scenes
(every 4th frame of 17), at the VAE's output size.

  /usr/bin/python3 models/tools/reconstruction_grid.py --vae models/checkpoints/v2/video_vae.pt --out grid.png [--scenes 4]
"""
import argparse
import os
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from kinora import free_suite                                              # noqa: E402
from kinora.reconstruction import reconstruct, render_pair, vae_upsample   # noqa: E402
from kinora.video_vae import VideoVAE, load_vae                            # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--vae", required=True)
p.add_argument("--out", required=True)
p.add_argument("--scenes", type=int, default=4)
a = p.parse_args()
vae, _ = load_vae(a.vae)
suite = free_suite.suite()
rows = []
for _, scene, _ in suite[:: max(1, len(suite) // a.scenes)][: a.scenes]:
    truth, small = render_pair(scene, 64, 64, free_suite.FRAMES, vae_upsample(vae))
    made = reconstruct(vae, isinstance(vae, VideoVAE), small)
    rows += [np.concatenate(list(truth[::4]), axis=1), np.concatenate(list(made[::4]), axis=1)]
Image.fromarray(np.concatenate(rows, axis=0)).save(a.out, optimize=True)
print(a.out, os.path.getsize(a.out) // 1024, "KiB")
