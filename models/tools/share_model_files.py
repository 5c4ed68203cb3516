"""Keeps one copy on the site of a file two exported models share: each file of OTHER that is
byte-identical (same name, same sha256) to OWNER's is deleted from OTHER's folder, and OTHER's
manifest says `"stored_in": OWNER` for it, so the browser fetches it from OWNER's folder (it still
stores it as OTHER's own in IndexedDB). A distilled student keeps its teacher's text encoder and VAE
unchanged, so it needs only its own DiT on the site.

  /usr/bin/python3 models/tools/share_model_files.py public/models/kinora-small public/models/kinora-small-fast
"""
import json
import os
import sys


def main(owner_dir: str, other_dir: str) -> None:
    owner_id = os.path.basename(os.path.normpath(owner_dir))
    owner = json.load(open(os.path.join(owner_dir, "manifest.json")))
    manifest_path = os.path.join(other_dir, "manifest.json")
    other = json.load(open(manifest_path))
    for name, entry in other["files"].items():
        mine = owner["files"].get(name)
        if entry.get("stored_in") or not mine or mine.get("stored_in") or mine["sha256"] != entry["sha256"]:
            continue
        os.remove(os.path.join(other_dir, name))
        entry["stored_in"] = owner_id
        print(f"{other_dir}/{name}: one copy, in {owner_dir} ({entry['size'] / 1e6:.2f} MB)")
    with open(manifest_path, "w") as f:
        json.dump(other, f, indent=1)


if __name__ == "__main__":
    main(*sys.argv[1:3])
