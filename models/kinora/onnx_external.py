"""One copy of each weight: dit.onnx reads its weights from dit.safetensors as ONNX external data.

The exporter writes the DiT twice, as dit.safetensors (fp16, what our WGSL runtime reads) and as
dit.onnx (what onnxruntime-web's wasm provider runs), and the ONNX file used to carry a second copy
of every fp16 weight. Safetensors keeps each tensor as plain little-endian bytes at a known offset,
which is exactly what ONNX external data describes (a file, an offset and a length), so each fp16
initializer of dit.onnx whose bytes equal a safetensors tensor of the same name becomes a pointer
into dit.safetensors. The graph is unchanged (each such weight already feeds a Cast to f32), the
numbers are bit for bit the same, and dit.onnx shrinks to its structure and the few f32 constants.

A runtime must then give onnxruntime the safetensors bytes as the external file (onnxruntime-web:
`externalData: [{path: "dit.safetensors", data}]`); the manifest says so with
`files["dit.onnx"].external_data`.
"""
from __future__ import annotations

import json
import struct

import onnx

_ONNX_DTYPE = {"F16": onnx.TensorProto.FLOAT16, "F32": onnx.TensorProto.FLOAT}


def safetensors_layout(path: str) -> tuple[dict, int]:
    """The header of a safetensors file ({name: {dtype, shape, data_offsets}}) and where its data begins."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
    header.pop("__metadata__", None)
    return header, 8 + n


def share_weights_with_safetensors(onnx_path: str, safetensors_path: str, location: str) -> int:
    """Rewrites onnx_path so that every initializer equal (name, dtype, shape, bytes) to a tensor of
    safetensors_path is external data at `location` (the safetensors file's name, relative to the
    ONNX file). Returns the number of bytes that left the ONNX file. Initializers with no twin stay
    inline."""
    header, data_start = safetensors_layout(safetensors_path)
    with open(safetensors_path, "rb") as f:
        blob = f.read()
    model = onnx.load(onnx_path, load_external_data=False)
    moved = 0
    for init in model.graph.initializer:
        twin = header.get(init.name)
        if twin is None or init.data_location == onnx.TensorProto.EXTERNAL or not init.HasField("raw_data"):
            continue
        if _ONNX_DTYPE.get(twin["dtype"]) != init.data_type or list(twin["shape"]) != list(init.dims):
            continue
        begin, end = (data_start + o for o in twin["data_offsets"])
        if blob[begin:end] != init.raw_data:
            continue
        init.ClearField("raw_data")
        init.data_location = onnx.TensorProto.EXTERNAL
        for key, value in (("location", location), ("offset", str(begin)), ("length", str(end - begin))):
            entry = init.external_data.add()
            entry.key, entry.value = key, value
        moved += end - begin
    onnx.save_model(model, onnx_path)
    return moved


def external_files(onnx_path: str) -> set[str]:
    """The files an ONNX model's external data points into."""
    model = onnx.load(onnx_path, load_external_data=False)
    return {e.value for t in model.graph.initializer if t.data_location == onnx.TensorProto.EXTERNAL
            for e in t.external_data if e.key == "location"}


def store_exact_halves(onnx_path: str, min_elements: int = 256) -> int:
    """Rewrites onnx_path so that every f32 initializer (of at least min_elements values) whose
    values are all exactly representable in fp16 is stored as fp16 and cast back to f32 by a Cast
    node at the top of the graph: the same numbers bit for bit, half the bytes. Exported weights
    are fp16-rounded before export (export.py), so every weight qualifies; this converts exports
    made before export.py stored them in fp16 itself. Returns the bytes saved."""
    import numpy as np
    from onnx import helper, numpy_helper

    model = onnx.load(onnx_path, load_external_data=False)
    graph = model.graph
    saved, casts = 0, []
    for init in graph.initializer:
        if init.data_type != onnx.TensorProto.FLOAT or init.data_location == onnx.TensorProto.EXTERNAL:
            continue
        values = numpy_helper.to_array(init)
        if values.size < min_elements or not np.array_equal(values.astype(np.float16).astype(np.float32), values):
            continue
        name = init.name
        half = numpy_helper.from_array(values.astype(np.float16), name + "__fp16")
        init.CopyFrom(half)
        casts.append(helper.make_node("Cast", [name + "__fp16"], [name], to=onnx.TensorProto.FLOAT, name=name + "__cast"))
        saved += values.size * 2
    for i, node in enumerate(casts):
        graph.node.insert(i, node)
    onnx.save_model(model, onnx_path)
    return saved
