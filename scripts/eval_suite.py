"""The model's fixed prompt suite (models/eval.py) for `npm run eval`, and the scoring of the MP4s
the browser made for it with the one scorer (models/kinora/scorer.py).

  /usr/bin/python3 scripts/eval_suite.py suite               -> JSON [{index, group, prompt}]
  /usr/bin/python3 scripts/eval_suite.py score DIR           -> JSON {group: {attribute: accuracy}}
DIR holds <index>.mp4 for every suite entry (64x64 frames).
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models"))
import eval as model_eval                          # noqa: E402
from kinora import scorer                          # noqa: E402


def main(argv):
    suite = model_eval.prompt_suite()
    if argv[:1] == ["suite"]:
        print(json.dumps([{"index": i, "group": g, "prompt": caption} for i, (g, _, caption) in enumerate(suite)]))
        return 0
    if len(argv) == 2 and argv[0] == "score":
        results = []
        for i, (group, scene, _) in enumerate(suite):
            frames = scorer.read_mp4(os.path.join(argv[1], f"{i}.mp4"), 64, 64)
            results.append((group, scorer.score(frames, scene)))
        print(json.dumps(model_eval.accuracy_table(results)))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
