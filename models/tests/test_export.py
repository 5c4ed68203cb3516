import glob
import json
import os
import shutil
import subprocess

import onnx
import pytest
import torch

import export
import train
from kinora.dit import DiT
from kinora.onnx_external import external_files

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_safetensors_round_trip(tmp_path):
    tensors = {"a": torch.randn(3, 5).half(), "b": torch.arange(7), "c": torch.randn(2, 1, 4)}
    table = export.write_safetensors(str(tmp_path / "x.safetensors"), tensors, {"k": "v"})
    back, meta = export.read_safetensors(str(tmp_path / "x.safetensors"))
    assert meta == {"k": "v"} and list(back) == list(tensors)
    for k in tensors:
        assert back[k].dtype == tensors[k].dtype and torch.equal(back[k], tensors[k])
    raw = open(tmp_path / "x.safetensors", "rb").read()
    assert int.from_bytes(raw[:8], "little") % 8 == 0
    a, b = table[0]["file_offsets"]
    assert raw[a:b] == tensors["a"].numpy().tobytes()


def train_and_export(root, model_id: str, vae_args: list, dit_args: list = ()) -> str:
    """A VAE for 2 steps, a tiny DiT on it for 3, exported as model_id under root; returns its folder."""
    vae_run, dit_run = str(root / "vae"), str(root / "dit")
    train.main([*vae_args, "--run", vae_run, "--steps", "2", "--threads", "2"])
    train.main(["--stage", "dit", "--config", "tiny", "--vae", os.path.join(vae_run, "last.pt"), "--run", dit_run,
                "--steps", "3", "--batch-tokens", "64", "--threads", "2", "--warmup", "1", *dit_args])
    export.main(["--ckpt", os.path.join(dit_run, "last.pt"), "--id", model_id, "--out-root", str(root), "--threads", "2"])
    return str(root / model_id)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    return train_and_export(tmp_path_factory.mktemp("export"), "t", ["--stage", "vae", "--vae-config", "vae_t", "--batch", "4"])


def test_export_manifest_and_files(exported):
    m = json.load(open(os.path.join(exported, "manifest.json")))
    for name in ("dit.safetensors", "text_encoder.onnx", "vae_encoder.onnx", "vae_decoder.onnx", "dit.onnx", "goldens.safetensors"):
        path = os.path.join(exported, name)
        assert {k: m["files"][name][k] for k in ("size", "sha256")} == {"size": os.path.getsize(path), "sha256": export.sha256(path)}
    assert m["architecture"]["dit"]["rope"]["split_t_h_w"] == [8, 12, 12]
    assert m["tokenizer"]["vocab"][0] == "[pad]" and len(m["preview"]["matrix"]) == 3
    assert m["sampler"]["example_times_16"][0] == 1.0 and m["sampler"]["example_times_16"][-1] == 0.0


def test_dit_onnx_reads_its_weights_from_the_safetensors(exported):
    """One copy of each weight: every fp16 weight of dit.onnx is external data inside dit.safetensors
    (the bytes checked equal), and only the small f32 constants stay in the ONNX file."""
    m = json.load(open(os.path.join(exported, "manifest.json")))
    assert m["files"]["dit.onnx"]["external_data"] == ["dit.safetensors"]
    assert external_files(os.path.join(exported, "dit.onnx")) == {"dit.safetensors"}
    model = onnx.load(os.path.join(exported, "dit.onnx"), load_external_data=False)
    blob = open(os.path.join(exported, "dit.safetensors"), "rb").read()
    weights, _ = export.read_safetensors(os.path.join(exported, "dit.safetensors"))
    external = [t for t in model.graph.initializer if t.data_location == onnx.TensorProto.EXTERNAL]
    assert {t.name for t in external} == {n for n, w in weights.items() if n.endswith(".weight") and w.dim() == 2}
    for t in external:
        where = {e.key: e.value for e in t.external_data}
        begin, length = int(where["offset"]), int(where["length"])
        assert blob[begin:begin + length] == weights[t.name].numpy().tobytes(), t.name
    assert not any(t.data_type == onnx.TensorProto.FLOAT16 and t.HasField("raw_data") for t in model.graph.initializer)


def test_exported_weights_reproduce_the_goldens(exported):
    m = json.load(open(os.path.join(exported, "manifest.json")))
    weights, _ = export.read_safetensors(os.path.join(exported, "dit.safetensors"))
    assert all(w.dtype == torch.float16 for w in weights.values())
    a = m["architecture"]["dit"]
    dit = DiT(a["latent_channels"], a["width"], a["depth"], a["heads"], a["text_width"])
    dit.load_state_dict({k: v.float() for k, v in weights.items()})
    g, meta = export.read_safetensors(os.path.join(exported, "goldens.safetensors"))
    with torch.no_grad():
        v = dit(g["dit.x"], g["dit.t"], g["text.text"], g["text.text_mask"])
    assert torch.allclose(v, g["dit.v"], atol=1e-5)
    assert g["sample.frames"].shape == (4, 3, 64, 64) and int(meta["steps"]) == 4


@pytest.mark.skipif(shutil.which("node") is None or not os.path.isdir(os.path.join(REPO, "node_modules", "onnxruntime-web")),
                    reason="needs node and onnxruntime-web")
def test_onnx_matches_pytorch_in_onnxruntime_web(exported):
    check_onnx_in_onnxruntime_web(exported)


def check_onnx_in_onnxruntime_web(folder: str) -> dict:
    """tools/check_onnx.mjs on an exported folder: every ONNX part within NMSE 1e-8 of its golden."""
    out = subprocess.run(["node", os.path.join(REPO, "models", "tools", "check_onnx.mjs"), folder],
                         capture_output=True, text=True, cwd=REPO, timeout=60)
    assert out.returncode == 0, out.stderr
    r = json.loads(out.stdout.strip().split("\n")[-1])
    assert r.get("text_encoder", 0.0) < 1e-8 and r["dit"] < 1e-8 and r["vae_decoder"] < 1e-8, r
    return r


@pytest.mark.parametrize("manifest", sorted(glob.glob(os.path.join(REPO, "public", "models", "*", "manifest.json"))))
def test_committed_models_match_their_manifests(manifest):
    m = json.load(open(manifest))
    folder = os.path.dirname(manifest)
    for name, info in m["files"].items():
        # a file another model's folder keeps (tools/share_model_files.py) is checked there
        path = os.path.join(os.path.dirname(folder), info["stored_in"], name) if "stored_in" in info else os.path.join(folder, name)
        assert os.path.getsize(path) == info["size"], name
        assert export.sha256(path) == info["sha256"], name


def test_index_names_existing_models():
    path = os.path.join(REPO, "public", "models", "index.json")
    if not os.path.exists(path):
        pytest.skip("no index.json yet")
    index = json.load(open(path))
    ids = index["models"]
    assert all(isinstance(i, str) for i in ids)
    assert index["default"] in ids
    for i in ids:
        assert os.path.exists(os.path.join(REPO, "public", "models", i, "manifest.json"))


@pytest.fixture(scope="module")
def student(exported):
    """A 4-step student of the tiny teacher after 2 distillation steps: its run checkpoint."""
    import distill
    root = os.path.dirname(exported)
    distill.main(["--teacher", os.path.join(root, "dit", "last.pt"), "--run", os.path.join(root, "student"),
                  "--steps", "2", "--student-steps", "4", "--batch-tokens", "64", "--threads", "2"])
    return os.path.join(root, "student", "last.pt")


def test_distilled_student_exports_its_sampler(exported, student):
    root = os.path.dirname(exported)
    export.main(["--ckpt", student, "--id", "s", "--out-root", root, "--threads", "2"])
    sampler = json.load(open(os.path.join(root, "s", "manifest.json")))["sampler"]
    assert sampler["default_steps"] == 4 and sampler["default_guidance"] == 1.0 and sampler["distilled"]["distill_steps"] == 2
    # The student's text encoder and VAE files are the teacher's, byte for byte (browsers share them).
    files = lambda i: json.load(open(os.path.join(root, i, "manifest.json")))["files"]
    for name in ("text_encoder.onnx", "vae_encoder.onnx", "vae_decoder.onnx"):
        assert files("s")[name]["sha256"] == files("t")[name]["sha256"], name
    assert files("s")["dit.safetensors"]["sha256"] != files("t")["dit.safetensors"]["sha256"]


def test_eval_scores_a_student_alone_at_its_step_counts(exported, student):
    import eval as evaluate
    root = os.path.dirname(exported)
    out = os.path.join(root, "eval.json")
    evaluate.main(["--ckpt", os.path.join(root, "dit", "last.pt"), "--student", student, "--steps", "--student-steps", "2", "1",
                   "--seeds", "2", "--out", out, "--threads", "2"])
    report = json.load(open(out))
    assert report["seeds"] == 2 and not any(k.startswith("steps_") for k in report)
    for n in (2, 1):
        assert set(report[f"student_{n}_steps"]["all"]) >= {"colour", "shape", "direction"}
        assert report[f"student_{n}_steps_seconds_per_video"] > 0
    assert report["student"]["steps"] == 4


def test_student_keeps_the_teachers_text_encoder_exactly(exported, student):
    import torch
    root = os.path.dirname(exported)
    s = torch.load(student, map_location="cpu")
    t = torch.load(os.path.join(root, "dit", "last.pt"), map_location="cpu")
    text = [k for k in t["ema"] if k.startswith("text.")]
    assert text and all(torch.equal(s["ema"][k], t["ema"][k]) for k in text)
    assert any(not torch.equal(s["ema"][k], t["ema"][k]) for k in s["ema"] if k.startswith("dit."))


@pytest.fixture(scope="module")
def exported_v2(tmp_path_factory):
    """A tiny v2: the tiny VideoVAE (2 steps) and a tiny DiT with the pooled text (3 steps), as format 2."""
    return train_and_export(tmp_path_factory.mktemp("export_v2"), "t2", ["--stage", "video_vae", "--vae-config", "tiny", "--batch", "5"],
                            ["--pooled-text", "1"])


def test_v2_exports_as_format_2_with_its_spacetime_layout(exported_v2):
    m = json.load(open(os.path.join(exported_v2, "manifest.json")))
    assert m["format_version"] == 2
    vae = m["architecture"]["vae"]
    assert (vae["kind"], vae["time_factor"], vae["downsample"], vae["upsample"]) == ("causal_spacetime", 4, 4, 2)
    assert "pooled_text" in m["architecture"]["dit"]
    assert m["video"]["sizes"]["16:9"] == {"width": 224, "height": 128} and m["video"]["encoder_sizes"]["1:1"] == {"width": 64, "height": 64}
    g, _ = export.read_safetensors(os.path.join(exported_v2, "goldens.safetensors"))
    assert g["sample.latents"].shape[1:3] == (8, 2) and g["sample.frames"].shape == (5, 3, 128, 128)
    assert g["i2v.cond_mask"].tolist() == [[True, False]]
    weights, _ = export.read_safetensors(os.path.join(exported_v2, "dit.safetensors"))
    assert "text_pool.mlp.0.weight" in weights
    a = m["architecture"]["dit"]
    dit = DiT(a["latent_channels"], a["width"], a["depth"], a["heads"], a["text_width"], a["patch"][1], pooled_text=True)
    dit.load_state_dict({k: v.float() for k, v in weights.items()})
    with torch.no_grad():
        v = dit(g["dit.x"], g["dit.t"], g["text.text"], g["text.text_mask"])
    assert torch.allclose(v, g["dit.v"], atol=1e-5)


@pytest.mark.skipif(shutil.which("node") is None or not os.path.isdir(os.path.join(REPO, "node_modules", "onnxruntime-web")),
                    reason="needs node and onnxruntime-web")
def test_v2_onnx_matches_pytorch_in_onnxruntime_web(exported_v2):
    r = check_onnx_in_onnxruntime_web(exported_v2)
    assert r["vae_encoder_shape"][1] == 2          # the 5 decoded frames (1 + 4) code back to 2 latent frames


def test_store_exact_halves_keeps_every_number(tmp_path):
    """f32 weights that are exact fp16 values are stored as fp16 + Cast (half the bytes, the same
    numbers); one that is not (1 + 2^-20) stays f32."""
    import numpy as np
    from onnx import helper, numpy_helper
    from kinora.onnx_external import store_exact_halves
    exact = np.random.default_rng(0).standard_normal((32, 16)).astype(np.float16).astype(np.float32)
    inexact = np.full((32, 16), 1 + 2 ** -20, np.float32)
    graph = helper.make_graph([helper.make_node("MatMul", ["x", "w"], ["y"]), helper.make_node("Add", ["y", "b"], ["z"])], "g",
                              [helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [1, 32])],
                              [helper.make_tensor_value_info("z", onnx.TensorProto.FLOAT, [1, 16])],
                              [numpy_helper.from_array(exact, "w"), numpy_helper.from_array(inexact[:1], "b")])
    path = str(tmp_path / "m.onnx")
    onnx.save_model(helper.make_model(graph), path)
    assert store_exact_halves(path, min_elements=8) == exact.size * 2
    model = onnx.load(path)
    inits = {t.name: t for t in model.graph.initializer}
    assert inits["w__fp16"].data_type == onnx.TensorProto.FLOAT16 and "w" not in inits
    assert np.array_equal(numpy_helper.to_array(inits["w__fp16"]).astype(np.float32), exact)
    assert inits["b"].data_type == onnx.TensorProto.FLOAT
    cast = model.graph.node[0]
    assert cast.op_type == "Cast" and list(cast.input) == ["w__fp16"] and list(cast.output) == ["w"]
    onnx.checker.check_model(model)


@pytest.fixture(scope="module")
def exported_v3(tmp_path_factory):
    """A tiny v3: the tiny VideoVAE and a tiny DiT reading scene tokens, as format 3."""
    return train_and_export(tmp_path_factory.mktemp("export_v3"), "t3", ["--stage", "video_vae", "--vae-config", "tiny", "--batch", "5"],
                            ["--pooled-text", "1", "--condition", "scene"])


def test_v3_exports_the_scene_table_and_no_text_encoder(exported_v3):
    from kinora import scene_tokens
    m = json.load(open(os.path.join(exported_v3, "manifest.json")))
    assert m["format_version"] == 3 and "tokenizer" not in m and "text_encoder" not in m["architecture"]
    assert not os.path.exists(os.path.join(exported_v3, "text_encoder.onnx"))
    cond = m["condition"]
    assert cond["vocab"] == scene_tokens.VOCAB and (cond["tokens"], cond["fields"]) == (5, 7)
    table, _ = export.read_safetensors(os.path.join(exported_v3, "scene_table.safetensors"))
    assert table["table"].dtype == torch.float16 and table["table"].shape == (len(scene_tokens.VOCAB), m["architecture"]["dit"]["text_width"])
    g, meta = export.read_safetensors(os.path.join(exported_v3, "goldens.safetensors"))
    ids = g["scene.ids"]
    assert ids.shape == (2, 5, 7) and not ids[1].any()
    # the rule the manifest states, by hand: a token is the sum of its fields' rows, masked where all are 0
    by_hand = table["table"].float()[ids].sum(dim=2)
    assert torch.allclose(by_hand, g["text.text"], atol=1e-6)
    assert g["text.text_mask"].tolist() == [[1, 1, 1, 0, 0], [0, 0, 0, 0, 0]]


@pytest.mark.skipif(shutil.which("node") is None or not os.path.isdir(os.path.join(REPO, "node_modules", "onnxruntime-web")),
                    reason="needs node and onnxruntime-web")
def test_v3_onnx_matches_pytorch_in_onnxruntime_web(exported_v3):
    r = check_onnx_in_onnxruntime_web(exported_v3)
    assert "text_encoder" not in r


def test_the_sampler_shift_is_the_one_the_dit_trained_with_unless_given():
    # v3 trains at --t-shift 3; sampled at shift 1 its free-suite colour halved (model card, v3 run 1).
    assert export.sampler_defaults({"args": {"t_shift": 3.0}}, None)["shift"] == 3.0
    assert export.sampler_defaults({"args": {"t_shift": 3.0}}, None, shift=1.5)["shift"] == 1.5
    assert export.sampler_defaults({"args": {}}, None)["shift"] == 1.0        # v1 and v2 checkpoints
    assert export.sampler_defaults({}, 8, 4.0) == {**export.SAMPLER, "default_steps": 8, "default_guidance": 4.0, "shift": 1.0}
