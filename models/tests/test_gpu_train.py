"""The GPU run script's CPU path (what can be checked without a GPU) and its batch probe."""
import json
import os

import pytest
import torch

import gpu_train
from kinora import checkpoint


def test_largest_batch_keeps_half_the_first_size_that_fails():
    def fits(n):
        if n > 5000:
            raise torch.cuda.OutOfMemoryError("out of memory")
    assert gpu_train.largest_batch(fits, 1024, 2**20) == 2048      # 4096 fits, 8192 fails -> 4096 / 2
    assert gpu_train.largest_batch(lambda n: None, 1024, 8192) == 4096
    assert gpu_train.largest_batch(lambda n: fits(10**9), 1024, 8192) == 1024


@pytest.mark.parametrize("stage", ["video_vae", "dit_v3"])
def test_cpu_path_writes_a_resumable_run_in_small_files(tmp_path, stage):
    out = str(tmp_path / stage)
    gpu_train.main(["--stage", stage, "--out", out, "--minutes", "0.03", "--device", "cpu", "--tiny", "--workers", "1"])
    report = json.load(open(os.path.join(out, "gpu_run.json")))
    assert report["steps"] > 0 and report["samples_this_run"] > 0
    for root, _, files in os.walk(out):
        for f in files:
            assert os.path.getsize(os.path.join(root, f)) <= 16 * 2**20
    slim = checkpoint.load(os.path.join(out, "slim.pt"))
    assert "opt" not in slim and slim["model"].keys() == slim["ema"].keys()
    if stage == "dit_v3":
        assert slim["config"]["condition"] == "scene" and "--t-shift" in report["command"]
    first = report["steps"]
    gpu_train.main(["--stage", stage, "--out", out, "--minutes", "0.03", "--device", "cpu", "--tiny", "--workers", "0"])
    assert json.load(open(os.path.join(out, "gpu_run.json")))["steps"] > first      # the second call continued


def test_checkpoint_parts_round_trip(tmp_path):
    state = {"w": torch.randn(300, 300), "step": 7}
    path = str(tmp_path / "last.pt")
    written = checkpoint.save(path, state, shard_bytes=100_000)
    assert len(written) > 1 and not os.path.exists(path)
    assert torch.equal(checkpoint.load(path)["w"], state["w"])
    checkpoint.save(path, {"step": 8}, shard_bytes=100_000)           # small again: one file, parts gone
    assert os.path.exists(path) and checkpoint.parts(path) == [] and checkpoint.load(path)["step"] == 8
