"""Rewrites exported model folders in place so that dit.onnx reads its weights from dit.safetensors
(kinora/onnx_external.py) and updates their manifests. export.py does this for new exports; this is
for folders exported before it did.

  /usr/bin/python3 models/tools/share_onnx_weights.py public/models/kinora-small public/models/tiny
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from export import sha256                                                  # noqa: E402
from kinora.onnx_external import share_weights_with_safetensors           # noqa: E402


def main(folders):
    for folder in folders:
        onnx_path = os.path.join(folder, "dit.onnx")
        before = os.path.getsize(onnx_path)
        moved = share_weights_with_safetensors(onnx_path, os.path.join(folder, "dit.safetensors"), "dit.safetensors")
        manifest_path = os.path.join(folder, "manifest.json")
        with open(manifest_path) as f:
            manifest = json.load(f)
        manifest["files"]["dit.onnx"] = {"size": os.path.getsize(onnx_path), "sha256": sha256(onnx_path),
                                         "external_data": ["dit.safetensors"]}
        with open(manifest_path, "w") as f:
            json.dump(manifest, f, indent=1)
        print(f"{folder}: dit.onnx {before / 1e6:.2f} -> {os.path.getsize(onnx_path) / 1e6:.2f} MB ({moved / 1e6:.2f} MB now read from dit.safetensors)")


if __name__ == "__main__":
    main(sys.argv[1:])
