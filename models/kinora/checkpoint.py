"""Checkpoint files, whole or in parts.

A borrowed GPU machine hands back files of at most 16 MiB, so a run there writes a checkpoint
larger than `shard_bytes` as `last.pt.000`, `last.pt.001`, ... (the bytes of one torch.save, cut in
order). Every loader in models/ goes through `load`, which reads either form from the same path.
"""
from __future__ import annotations

import glob
import io
import os

import torch


def parts(path: str) -> list:
    return sorted(glob.glob(glob.escape(path) + ".[0-9][0-9][0-9]"))


def exists(path: str) -> bool:
    return os.path.exists(path) or bool(parts(path))


def load(path: str, map_location="cpu"):
    """A checkpoint from `path`, or from its parts `path.000`, ... when the whole file is absent."""
    if os.path.exists(path):
        return torch.load(path, map_location=map_location)
    pieces = parts(path)
    if not pieces:
        raise FileNotFoundError(f"no checkpoint at {path} (nor its parts {path}.000, ...)")
    data = b"".join(open(p, "rb").read() for p in pieces)
    return torch.load(io.BytesIO(data), map_location=map_location)


def save(path: str, state: dict, shard_bytes: int | None = None) -> list:
    """Write atomically (each file through a temporary name); with shard_bytes, in parts of at
    most that size when larger. Stale files of the other form are removed. Returns the paths."""
    buf = io.BytesIO()
    torch.save(state, buf)
    data = buf.getvalue()
    if shard_bytes and len(data) > shard_bytes:
        targets = [(f"{path}.{i:03d}", data[a:a + shard_bytes]) for i, a in enumerate(range(0, len(data), shard_bytes))]
    else:
        targets = [(path, data)]
    written = []
    for target, chunk in targets:
        with open(target + ".tmp", "wb") as f:
            f.write(chunk)
        os.replace(target + ".tmp", target)
        written.append(target)
    for stale in ([path] if len(targets) > 1 or targets[0][0] != path else []) + parts(path):
        if stale not in written and os.path.exists(stale):
            os.remove(stale)
    return written
