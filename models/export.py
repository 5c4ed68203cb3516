"""Export a trained model to public/models/<id>/ for the browser runtime (format: docs/model-format.md).

  /usr/bin/python3 models/export.py --ckpt models/runs/small/last.pt --id kinora-small [--eval eval.json]

Writes dit.safetensors (fp16), text_encoder.onnx, vae_encoder.onnx, vae_decoder.onnx, dit.onnx
(opset 17, dynamic batch/frames/height/width), goldens.safetensors (fp32) and manifest.json (last,
with the sha256 and size of every other file). dit.onnx keeps no copy of the weights: its fp16
initializers are ONNX external data pointing into dit.safetensors (kinora/onnx_external.py). The exported weights are the EMA weights rounded to
fp16; the ONNX graphs and the goldens are computed from those same rounded weights, so the runtime
can match them to float32 accuracy.

A DiT trained on v2's VideoVAE exports as format 2 (docs/model-format.md, "Format versions"): the
VAE's ONNX parts take and give frames-first clips ([n, t, 3, H, W] <-> [n, t, C, h, w], 1 + 4k
frames <-> 1 + k latent frames, the decoder drawing `upsample` times larger), the goldens use those
shapes, and the manifest describes the spacetime layout. No runtime reads format 2 yet.
"""
from __future__ import annotations

import argparse
import copy
import datetime
import hashlib
import json
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kinora import captions, checkpoint, dit as dit_module, scene_tokens, world         # noqa: E402
from kinora.generator import Generator, GeneratorConfig, load_generator   # noqa: E402
from kinora.sampling import sample, time_schedule                         # noqa: E402
from kinora.vae import VAE, video_to_frames                               # noqa: E402
from kinora.video_vae import VideoVAE, load_vae                           # noqa: E402
from kinora.onnx_external import share_weights_with_safetensors          # noqa: E402

FORMAT_VERSION = 1          # v1: per-frame VAE
FORMAT_VERSION_SPACETIME = 2   # v2: causal spacetime VideoVAE (kinora/video_vae.py)
FORMAT_VERSION_SCENE = 3       # v3: format 2's VAE, and the scene's tokens (kinora/scene_tokens.py) instead of a text encoder
OPSET = 17
SAMPLER = {"kind": "flow_matching_euler", "shift": 1.0, "default_steps": 16, "default_guidance": 3.0}
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DTYPES = {torch.float16: "F16", torch.float32: "F32", torch.int64: "I64", torch.bool: "BOOL"}


# ----------------------------------------------------------------------------------------------
# safetensors, by hand: u64 little-endian header length, JSON header, raw little-endian data
# ----------------------------------------------------------------------------------------------

def write_safetensors(path: str, tensors: dict, metadata: dict | None = None) -> list:
    """Write tensors (name -> torch tensor) in the given order; returns the tensor table."""
    header, table, offset, blobs = {}, [], 0, []
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        raw = t.numpy().tobytes() if t.dtype != torch.bool else t.to(torch.uint8).numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        table.append({"name": name, "dtype": DTYPES[t.dtype], "shape": list(t.shape), "offsets": [offset, offset + len(raw)]})
        blobs.append(raw)
        offset += len(raw)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)                    # data starts 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for raw in blobs:
            f.write(raw)
    for row in table:
        row["file_offsets"] = [8 + len(head) + row["offsets"][0], 8 + len(head) + row["offsets"][1]]
    return table


def read_safetensors(path: str) -> tuple:
    """-> (dict name -> torch tensor, metadata dict)."""
    rev = {v: k for k, v in DTYPES.items()}
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {})
    out = {}
    for name, h in header.items():
        a, b = h["data_offsets"]
        dtype = rev[h["dtype"]]
        np_dtype = {torch.float16: np.float16, torch.float32: np.float32, torch.int64: np.int64, torch.bool: np.uint8}[dtype]
        arr = np.frombuffer(data[a:b], dtype=np_dtype).reshape(h["shape"]).copy()
        out[name] = torch.from_numpy(arr).to(dtype) if dtype == torch.bool else torch.from_numpy(arr)
    return out, meta


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ----------------------------------------------------------------------------------------------
# Loading and rounding
# ----------------------------------------------------------------------------------------------

def round_to_fp16(module: torch.nn.Module) -> None:
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(p.half().float())


# ----------------------------------------------------------------------------------------------
# ONNX
# ----------------------------------------------------------------------------------------------

class VAEEncoderExport(torch.nn.Module):
    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, frames):
        return self.vae.encode(frames)


class VAEDecoderExport(torch.nn.Module):
    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, latents):
        return self.vae.decode(latents)


class _HalfStoredLinear(torch.nn.Module):
    """A Linear whose weight is kept in fp16 and used as f32. In ONNX that is an fp16 initializer
    and a Cast, which onnxruntime folds once at load: half the download, the same f32 arithmetic
    (the weights are fp16-rounded for the safetensors already)."""

    def __init__(self, linear: torch.nn.Linear):
        super().__init__()
        self.register_buffer("weight", linear.weight.detach().half())
        self.bias = linear.bias

    def forward(self, x):
        return torch.nn.functional.linear(x, self.weight.float(), self.bias)


class _HalfStoredConv2d(torch.nn.Module):
    """A Conv2d whose weight is kept in fp16 and used as f32 (as _HalfStoredLinear): the VAE's ONNX
    parts at half the size, computing the same (its weights are fp16-rounded before export)."""

    def __init__(self, conv: torch.nn.Conv2d):
        super().__init__()
        self.register_buffer("weight", conv.weight.detach().half())
        self.bias = conv.bias
        self.stride, self.padding, self.dilation, self.groups = conv.stride, conv.padding, conv.dilation, conv.groups

    def forward(self, x):
        return torch.nn.functional.conv2d(x, self.weight.float(), self.bias, self.stride, self.padding, self.dilation, self.groups)


class _HalfStoredEmbedding(torch.nn.Module):
    """An Embedding whose table is kept in fp16: the rows are gathered, then cast to f32."""

    def __init__(self, embedding: torch.nn.Embedding):
        super().__init__()
        self.register_buffer("weight", embedding.weight.detach().half())

    def forward(self, ids):
        return torch.nn.functional.embedding(ids, self.weight).float()


_HALF_STORED = {torch.nn.Linear: _HalfStoredLinear, torch.nn.Conv2d: _HalfStoredConv2d, torch.nn.Embedding: _HalfStoredEmbedding}


def with_half_weights(module: torch.nn.Module, kinds=(torch.nn.Linear,)) -> torch.nn.Module:
    """A copy of `module` whose weights of the given layer kinds (Linear, Conv2d, Embedding) are
    stored in fp16 (see _HalfStoredLinear)."""
    module = copy.deepcopy(module)
    for parent in list(module.modules()):
        for name, child in list(parent.named_children()):
            if type(child) in kinds:
                setattr(parent, name, _HALF_STORED[type(child)](child))
    return module


def export_onnx(gen: Generator, vae: VAE, out: str) -> None:
    cfg = gen.cfg
    scene_model = cfg.condition == "scene"
    L = scene_tokens.TOKENS if scene_model else cfg.max_tokens
    with torch.no_grad():
        if not scene_model:        # a scene model's condition is a table lookup (scene_table.safetensors), no graph
            ids = torch.from_numpy(captions.Tokenizer().batch(["a red ball bounces", ""]))
            # every weight stored in fp16 with a Cast (half the file, the same f32 arithmetic); no constant
            # folding, which would write the Casts' f32 results back as initializers
            torch.onnx.export(with_half_weights(gen.text, (torch.nn.Linear, torch.nn.Embedding)), (ids,),
                              os.path.join(out, "text_encoder.onnx"), opset_version=OPSET, do_constant_folding=False,
                              input_names=["ids"], output_names=["text", "text_mask"],
                              dynamic_axes={"ids": {0: "batch"}, "text": {0: "batch"}, "text_mask": {0: "batch"}})
        if isinstance(vae, VideoVAE):
            export_video_vae_onnx(vae, out)
        else:
            frames = torch.zeros(2, 3, 64, 112)
            torch.onnx.export(VAEEncoderExport(vae), (frames,), os.path.join(out, "vae_encoder.onnx"), opset_version=OPSET,
                              input_names=["frames"], output_names=["latents"],
                              dynamic_axes={"frames": {0: "n", 2: "height", 3: "width"},
                                            "latents": {0: "n", 2: "latent_height", 3: "latent_width"}})
            lat = torch.zeros(2, cfg.latent_channels, 8, 14)
            torch.onnx.export(VAEDecoderExport(vae), (lat,), os.path.join(out, "vae_decoder.onnx"), opset_version=OPSET,
                              input_names=["latents"], output_names=["frames"],
                              dynamic_axes={"latents": {0: "n", 2: "latent_height", 3: "latent_width"},
                                            "frames": {0: "n", 2: "height", 3: "width"}})
        # traced at another shape than the goldens', so the goldens also check the dynamic axes
        x = torch.randn(1, cfg.latent_channels, 2, 8, 8)
        t = torch.rand(1, 2)
        text = torch.randn(1, L, cfg.d_text)
        mask = torch.ones(1, L)
        # fp16-stored weights; torch's constant folding would turn their Casts back into f32
        # initializers (twice the file), so it is left to onnxruntime, which folds at load.
        torch.onnx.export(with_half_weights(gen.dit), (x, t, text, mask), os.path.join(out, "dit.onnx"), opset_version=OPSET,
                          do_constant_folding=False,
                          input_names=["x", "t", "text", "text_mask"], output_names=["v"],
                          dynamic_axes={"x": {0: "batch", 2: "frames", 3: "latent_height", 4: "latent_width"},
                                        "t": {0: "batch", 1: "frames"}, "text": {0: "batch"}, "text_mask": {0: "batch"},
                                        "v": {0: "batch", 2: "frames", 3: "latent_height", 4: "latent_width"}})


def export_video_vae_onnx(vae: VideoVAE, out: str) -> None:
    """v2's VAE parts, frames first, traced at 9 frames 16:9 (the goldens run other shapes, so they
    check the dynamic axes): frames [n, 1+4k, 3, H, W] -> latents [n, 1+k, C, H/s, W/s] and back at
    `upsample` times the size."""
    f = vae.cfg.space_factor
    frames = torch.zeros(1, 9, 3, 64, 112)
    vae = with_half_weights(vae, (torch.nn.Conv2d,))          # conv weights in fp16 + Cast (see _HalfStoredConv2d)
    torch.onnx.export(VAEEncoderExport(vae), (frames,), os.path.join(out, "vae_encoder.onnx"), opset_version=OPSET,
                      do_constant_folding=False,
                      input_names=["frames"], output_names=["latents"],
                      dynamic_axes={"frames": {0: "n", 1: "frames", 3: "height", 4: "width"},
                                    "latents": {0: "n", 1: "latent_frames", 3: "latent_height", 4: "latent_width"}})
    lat = torch.zeros(1, vae.cfg.latent_frames(9), vae.cfg.latent_channels, 64 // f, 112 // f)
    torch.onnx.export(VAEDecoderExport(vae), (lat,), os.path.join(out, "vae_decoder.onnx"), opset_version=OPSET,
                      do_constant_folding=False,
                      input_names=["latents"], output_names=["frames"],
                      dynamic_axes={"latents": {0: "n", 1: "latent_frames", 3: "latent_height", 4: "latent_width"},
                                    "frames": {0: "n", 1: "frames", 3: "height", 4: "width"}})


# ----------------------------------------------------------------------------------------------
# Goldens, preview matrix
# ----------------------------------------------------------------------------------------------

GOLDEN_PROMPT = "a small red circle moves slowly to the left on a blue background"
GOLDEN_SCENE = {"background": {"kind": "plain", "colour": "blue"}, "camera": "static", "occlusion": False,
                "objects": [{"colour": "red", "shape": "circle", "size": "small", "motion": "left", "speed": "slowly"}]}


@torch.no_grad()
def goldens(gen: Generator, vae: VAE, steps: int = 4, guidance: float = 3.0, seed: int = 1234, shift: float = 1.0) -> tuple:
    """Inputs and outputs of one text encoder + DiT forward and of one short sampler run."""
    g = torch.Generator().manual_seed(seed)
    tok = captions.Tokenizer()
    C = gen.cfg.latent_channels
    spacetime = isinstance(vae, VideoVAE)
    f = vae.cfg.space_factor if spacetime else 8
    # v1: 4 latent frames are 4 frames; v2: 2 latent frames are 1 + 4 = 5 frames
    t_lat, frames = (2, vae.cfg.time_factor + 1) if spacetime else (4, 4)
    if gen.cfg.condition == "scene":
        ids = torch.from_numpy(scene_tokens.batch_ids([GOLDEN_SCENE, None]))         # [2, TOKENS, FIELDS]
        text, mask = gen.scene(ids)                                                 # [2, TOKENS, dt], [2, TOKENS]
    else:
        ids = torch.from_numpy(tok.batch([GOLDEN_PROMPT, ""]))                      # [2, L]
        text, mask = gen.text(ids)                                                  # [2, L, dt], [2, L]
    x = torch.randn(2, C, 3, 64 // f, 112 // f, generator=g)                        # 16:9, 3 latent frames
    t = torch.tensor([[0.0, 0.5, 0.9], [0.3, 0.3, 0.3]])
    v = gen.dit(x, t, text, mask)
    noise = torch.randn(1, C, t_lat, 64 // f, 64 // f, generator=g)                 # 1:1
    lat = sample(gen, ids[:1], noise, steps=steps, guidance=guidance, shift=shift)
    # image-to-video: frame 0 given (the first frame of a rendered clip, encoded); the first latent frame
    video, _ = world.render(world.sample_scene(7), 64, 64, frames)
    if spacetime:
        rgb = vae.decode(lat.permute(0, 2, 1, 3, 4))[0]                             # [5, 3, 64*up, 64*up]
        cond = vae.encode(video_to_frames(video)[None]).permute(0, 2, 1, 3, 4)     # [1, C, 2, h, w]
    else:
        rgb = vae.decode(lat[0].permute(1, 0, 2, 3))                                # [4, 3, 64, 64]
        cond = vae.encode(video_to_frames(video)).permute(1, 0, 2, 3)[None]         # [1, C, 4, 8, 8]
    cond_mask = torch.zeros(1, t_lat, dtype=torch.bool)
    cond_mask[0, 0] = True
    lat_i2v = sample(gen, ids[:1], noise, steps=steps, guidance=guidance, shift=shift,
                     cond_latents=cond, cond_mask=cond_mask)
    tensors = {
        ("scene.ids" if gen.cfg.condition == "scene" else "text.ids"): ids, "text.text": text, "text.text_mask": mask,
        "dit.x": x, "dit.t": t, "dit.v": v,
        "sample.noise": noise, "sample.latents": lat, "sample.frames": rgb,
        "i2v.cond_latents": cond, "i2v.cond_mask": cond_mask, "i2v.latents": lat_i2v,
    }
    meta = {"prompt": GOLDEN_PROMPT, "steps": steps, "guidance": guidance, "shift": shift, "seed": seed,
            "note": "dit.* uses text.text/text.text_mask as its text inputs; sample.* and i2v.* use text.ids[0:1]"}
    if gen.cfg.condition == "scene":
        meta.update(prompt=None, scene=GOLDEN_SCENE,
                    note="text.text/text.text_mask are the scene table's tokens of scene.ids (row 1: the dropped scene); "
                         "dit.* uses them as its text inputs; sample.* and i2v.* use scene.ids[0:1]")
    return tensors, meta


@torch.no_grad()
def preview_matrix(vae: VAE, n_frames: int = 128) -> tuple:
    """Least-squares fit rgb01 = M z + b from a normalised latent pixel to the mean colour of its block
    (8x8 for v1; f x f of a frame coded alone for v2)."""
    rng = np.random.default_rng(5)
    frames = []
    while len(frames) < n_frames:
        video, _ = world.render(world.sample_scene(int(rng.integers(2**31))), 64, 64, 16)
        frames.extend(video[::4])
    x = video_to_frames(np.stack(frames))                                          # [N, 3, 64, 64]
    if isinstance(vae, VideoVAE):                                                  # each frame as an image
        f = vae.cfg.space_factor
        z = vae.encode(x[:, None])[:, 0]                                           # [N, C, 64/f, 64/f]
    else:
        f = 8
        z = vae.encode(x)                                                          # [N, C, 8, 8]
    rgb = torch.nn.functional.avg_pool2d((x + 1) / 2, f)                           # [N, 3, 64/f, 64/f]
    Z = z.permute(0, 2, 3, 1).reshape(-1, z.shape[1])
    Z1 = torch.cat([Z, torch.ones(len(Z), 1)], dim=1)
    Y = rgb.permute(0, 2, 3, 1).reshape(-1, 3)
    sol = torch.linalg.lstsq(Z1, Y).solution                                       # [C + 1, 3]
    return sol[:-1].T.tolist(), sol[-1].tolist()


# ----------------------------------------------------------------------------------------------
# Manifest
# ----------------------------------------------------------------------------------------------

def sampler_defaults(ck: dict, default_steps: int | None, default_guidance: float | None = None,
                     shift: float | None = None) -> dict:
    """A distilled student samples in its own step count with guidance folded in (g = 1: one forward per step).
    A teacher's defaults can be set from what its evaluation found best (eval.py --guidance).
    The schedule's shift is the one the model was trained with (train.py --t-shift) unless given:
    v3 run 1, trained at shift 3 and sampled at 1, scored colour 27 % on the free suite; sampled at 3, 54 %."""
    out = dict(SAMPLER)
    out["shift"] = float(shift if shift is not None else ck.get("args", {}).get("t_shift", SAMPLER["shift"]))
    if ck.get("distilled"):
        out.update(default_steps=ck["distilled"]["steps"], default_guidance=1.0, distilled=ck["distilled"])
    if default_steps:
        out["default_steps"] = default_steps
    if default_guidance:
        out["default_guidance"] = default_guidance
    return out


def architecture(cfg: GeneratorConfig, vae=None) -> dict:
    hd = cfg.d // cfg.heads
    arch = {
        "dit": {"latent_channels": cfg.latent_channels, "width": cfg.d, "depth": cfg.depth, "heads": cfg.heads,
                "head_dim": hd, "mlp_ratio": 4, "mlp_activation": "gelu_tanh", "patch": [1, cfg.patch, cfg.patch],
                "time_embedding": {"freq_dim": dit_module.TIME_FREQ_DIM, "input_scale": 1000.0, "max_period": 10000.0,
                                   "order": "cos_then_sin"},
                "rope": {"base": dit_module.ROPE_BASE, "split_t_h_w": list(dit_module.rope_split(hd)),
                         "pairs": "interleaved", "positions": "frame index, patch row, patch column (integers from 0)"},
                "layer_norm_eps": 1e-6, "text_width": cfg.d_text, "mask_bias": dit_module.MASK_BIAS},
        "text_encoder": {"width": cfg.d_text, "depth": cfg.text_depth, "heads": cfg.text_heads, "max_tokens": cfg.max_tokens},
        "vae": {"downsample": 8, "latent_channels": cfg.latent_channels, "frame_range": [-1.0, 1.0],
                "latents": "normalised (the ONNX encoder/decoder include the normalisation)"},
    }
    if cfg.condition == "scene":
        del arch["text_encoder"]             # the scene's tokens come from a table (manifest "condition")
    if cfg.pooled_text:
        arch["dit"]["pooled_text"] = {"pool": "mean of the text tokens where text_mask is 1 (0 for an empty caption)",
                                      "mlp": "Linear(text_width, width), SiLU, Linear(width, width)",
                                      "added_to": "the timestep embedding of every frame"}
    if isinstance(vae, VideoVAE):
        c = vae.cfg
        arch["vae"] = {"kind": "causal_spacetime", "downsample": c.space_factor, "time_factor": c.time_factor,
                       "upsample": c.upsample, "latent_channels": c.latent_channels, "frame_range": [-1.0, 1.0],
                       "frames": f"1 + {c.time_factor}k frames <-> 1 + k latent frames; latent frame 0 is frame 0 alone, "
                                 f"latent frame j >= 1 is frames {c.time_factor}(j-1)+1 .. {c.time_factor}j",
                       "layout": "frames first: frames [n, t, 3, H, W], latents [n, t, C, H/downsample, W/downsample]; "
                                 "the decoder draws upsample x the encoder's input size",
                       "latents": "normalised (the ONNX encoder/decoder include the normalisation)"}
    return arch


def scene_condition_facts() -> dict:
    """The manifest's `condition` of a scene model (format 3): how a runtime makes the DiT's text input."""
    return {"kind": "scene", "vocab": scene_tokens.VOCAB, "tokens": scene_tokens.TOKENS, "fields": scene_tokens.FIELDS,
            "table": {"file": "scene_table.safetensors", "tensor": "table"},
            "rows": ["background: role:background, bg:<kind>, then bgcolour:<c> (plain) or bgtop:<c>, bgbottom:<c> (gradient)",
                     "camera: role:camera, camera:<move>",
                     "objects 1..3: role:object, slot:<i>, colour:<c>, shape:<s>, size:<z>, motion:<m>, speed:<v>"],
            "rule": "ids [TOKENS, FIELDS] index vocab (0 = nothing, a zero row; unused fields and absent objects are 0); "
                    "token k = sum over fields of table[ids[k, f]]; text_mask[k] = 1 where any ids[k, f] != 0; "
                    "the unconditional input is all zeros (every mask 0)"}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ckpt", required=True, help="DiT run checkpoint (last.pt); its VAE path is read from it")
    p.add_argument("--vae", help="VAE checkpoint (default: the one the DiT was trained with)")
    p.add_argument("--id", required=True, help="model id: public/models/<id>/")
    p.add_argument("--out-root", default=os.path.join(REPO, "public", "models"))
    p.add_argument("--eval", help="JSON file of evaluation scores to put in the manifest")
    p.add_argument("--description", default="")
    p.add_argument("--weights", choices=["ema", "raw"], default="ema", help="the EMA or the last training weights")
    p.add_argument("--default-steps", type=int, help="the sampler's default step count (else 16, or the student's)")
    p.add_argument("--default-guidance", type=float, help="the sampler's default guidance (else 3, or 1 for a student)")
    p.add_argument("--shift", type=float, help="the sampler's time-schedule shift (else the one the DiT trained with, --t-shift)")
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)

    gen, ck = load_generator(args.ckpt, use_ema=args.weights == "ema")
    vae, vae_ck = load_vae(args.vae or ck["vae"])
    round_to_fp16(gen)
    round_to_fp16(vae)
    out = os.path.join(args.out_root, args.id)
    os.makedirs(out, exist_ok=True)

    table = write_safetensors(os.path.join(out, "dit.safetensors"),
                              {k: v.half() for k, v in gen.dit.state_dict().items()},
                              {"format": "kinora-dit",
                               "format_version": FORMAT_VERSION_SPACETIME if isinstance(vae, VideoVAE) else FORMAT_VERSION})
    scene_model = gen.cfg.condition == "scene"
    if scene_model:
        write_safetensors(os.path.join(out, "scene_table.safetensors"), {"table": gen.scene.table.weight.half()},
                          {"format": "kinora-scene-table", "tokens": str(scene_tokens.TOKENS), "fields": str(scene_tokens.FIELDS)})
    export_onnx(gen, vae, out)
    # one copy of each weight: dit.onnx's fp16 weights become pointers into dit.safetensors
    share_weights_with_safetensors(os.path.join(out, "dit.onnx"), os.path.join(out, "dit.safetensors"), "dit.safetensors")
    sampler = sampler_defaults(ck, args.default_steps, args.default_guidance, args.shift)
    g_tensors, g_meta = goldens(gen, vae, shift=sampler["shift"])
    g_table = write_safetensors(os.path.join(out, "goldens.safetensors"),
                                {k: (v.float() if v.dtype.is_floating_point else v) for k, v in g_tensors.items()}, g_meta)
    matrix, bias = preview_matrix(vae)
    tok = captions.Tokenizer()
    evals = {}
    if args.eval and os.path.exists(args.eval):
        with open(args.eval) as f:
            evals = json.load(f)
    files = {}
    for name in sorted(os.listdir(out)):
        if name != "manifest.json":
            path = os.path.join(out, name)
            files[name] = {"size": os.path.getsize(path), "sha256": sha256(path)}
    files["dit.onnx"]["external_data"] = ["dit.safetensors"]
    spacetime = isinstance(vae, VideoVAE)
    up = vae.cfg.upsample if spacetime else 1
    video_facts = {"fps": world.FPS, "max_frames": 17 if spacetime else 16,
                   "sizes": {k: {"width": w * up, "height": h * up} for k, (w, h) in world.ASPECTS.items()},
                   "side_multiple": 16 * up}
    if spacetime:
        video_facts["encoder_sizes"] = {k: {"width": w, "height": h} for k, (w, h) in world.ASPECTS.items()}
    manifest = {
        "id": args.id,
        "format_version": FORMAT_VERSION_SCENE if scene_model else FORMAT_VERSION_SPACETIME if spacetime else FORMAT_VERSION,
        "description": args.description,
        "created": datetime.datetime.utcnow().replace(microsecond=0).isoformat() + "Z",
        "architecture": architecture(gen.cfg, vae),
        "video": video_facts,
        "files": files,
        "weights": {"file": "dit.safetensors", "dtype": "F16", "tensors": table},
        "goldens": {"file": "goldens.safetensors", "tensors": g_table, **g_meta},
        **({"condition": scene_condition_facts()} if scene_model else {
            "tokenizer": {"vocab": tok.words, "pad_id": 0, "max_tokens": tok.max_tokens, "unknown_words": "dropped",
                          "normalise": "lowercase; every character outside [a-z0-9] becomes a space; split on spaces"}}),
        "preview": {"matrix": matrix, "bias": bias,
                    "rule": f"rgb in [0,1] = matrix (3 x C) @ latent pixel (C, normalised) + bias; one pixel per "
                            f"{vae.cfg.space_factor if spacetime else 8}x{vae.cfg.space_factor if spacetime else 8} block"},
        "sampler": {**sampler, "schedule": "s_i = 1 - i/n, t_i = shift*s_i/(1+(shift-1)*s_i)",
                    "update": "x += (t_{i+1} - t_i) * v; v = v_uncond + g*(v_cond - v_uncond)",
                    "example_times_16": [round(float(v), 6) for v in time_schedule(16, sampler["shift"])]},
        "training": {"config": ck.get("config_name"), "weights": args.weights, "steps": ck["step"], "samples": ck["samples"],
                     "seconds": round(ck["elapsed"]), "parameters": sum(p.numel() for p in gen.parameters()),
                     "dit_parameters": sum(p.numel() for p in gen.dit.parameters()),
                     "vae_steps": vae_ck["step"], "vae_frames": vae_ck["samples"],
                     "args": {k: v for k, v in ck.get("args", {}).items() if k not in ("run", "vae")}},
        "eval": evals,
    }
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    total = sum(v["size"] for v in files.values())
    print(f"exported {args.id} to {out}: {total / 1e6:.2f} MB in {len(files)} files + manifest", flush=True)


if __name__ == "__main__":
    main()
