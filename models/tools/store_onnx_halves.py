"""Halves older exports' ONNX files in place: f32 weights that are exactly fp16 values become fp16
initializers with a Cast (kinora/onnx_external.store_exact_halves; the numbers are unchanged), and
the manifests' sizes and hashes follow.

  /usr/bin/python3 models/tools/store_onnx_halves.py public/models/tiny public/models/kinora-small
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from export import sha256                                      # noqa: E402
from kinora.onnx_external import store_exact_halves           # noqa: E402


def main(folders):
    for folder in folders:
        manifest_path = os.path.join(folder, "manifest.json")
        manifest = json.load(open(manifest_path))
        for name, entry in manifest["files"].items():
            path = os.path.join(folder, name)
            if entry.get("stored_in"):
                # kept in another model's folder: convert that one first; its size and hash follow here
                owner = json.load(open(os.path.join(os.path.dirname(os.path.normpath(folder)), entry["stored_in"], "manifest.json")))
                entry.update(size=owner["files"][name]["size"], sha256=owner["files"][name]["sha256"])
                continue
            if not name.endswith(".onnx"):
                continue
            before = os.path.getsize(path)
            if store_exact_halves(path) == 0:
                continue
            entry.update(size=os.path.getsize(path), sha256=sha256(path))
            print(f"{path}: {before / 1e6:.2f} -> {entry['size'] / 1e6:.2f} MB")
        with open(manifest_path, "w") as f:
            json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1:])
