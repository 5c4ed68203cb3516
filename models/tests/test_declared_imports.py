"""Every third-party Python import in models/ and scripts/ comes from a Debian package that `npm test`
installs (scripts/debian-packages.txt), so a fresh machine never fails on a missing module.

The JavaScript side (bare imports against package.json) is tests/unit/declared-imports.test.ts.
"""
import ast
import glob
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Which Debian package provides each third-party top-level module the code may import.
DEBIAN_PACKAGE_OF = {"torch": "python3-torch", "numpy": "python3-numpy", "onnx": "python3-onnx",
                     "pytest": "python3-pytest", "PIL": "python3-pil"}


def listed_packages(path=os.path.join(REPO, "scripts", "debian-packages.txt")) -> set:
    with open(path) as f:
        return {line.split("#")[0].split()[0] for line in f if line.split("#")[0].strip()}


def top_level_imports(source: str) -> set:
    """Top-level names of absolute imports anywhere in the source (inside functions too)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def local_modules(folders) -> set:
    """Modules the code imports from its own folders (sys.path entries its scripts add)."""
    names = {"models", "kinora"}
    for folder in folders:
        for path in glob.glob(os.path.join(folder, "**", "*.py"), recursive=True):
            names.add(os.path.splitext(os.path.basename(path))[0])
        for path in glob.glob(os.path.join(folder, "**", "__init__.py"), recursive=True):
            names.add(os.path.basename(os.path.dirname(path)))
    return names


def third_party(names: set, local: set) -> set:
    return {n for n in names if n not in sys.stdlib_module_names and n not in local}


def python_files():
    for folder in ("models", "scripts"):
        yield from glob.glob(os.path.join(REPO, folder, "**", "*.py"), recursive=True)


def test_every_third_party_import_is_a_listed_debian_package():
    local = local_modules([os.path.join(REPO, "models"), os.path.join(REPO, "scripts")])
    listed = listed_packages()
    problems = []
    files = list(python_files())
    assert len(files) > 20, "the walk found too few Python files to be looking in the right place"
    for path in files:
        with open(path) as f:
            for name in sorted(third_party(top_level_imports(f.read()), local)):
                package = DEBIAN_PACKAGE_OF.get(name)
                if package is None:
                    problems.append(f"{os.path.relpath(path, REPO)} imports {name}: no Debian package known for it")
                elif package not in listed:
                    problems.append(f"{os.path.relpath(path, REPO)} imports {name}: {package} is not in scripts/debian-packages.txt")
    assert not problems, "\n".join(problems)


def test_the_check_sees_an_unlisted_import():
    source = "import os\nfrom numpy import zeros\n\ndef f():\n    import scipy.signal\n    from . import sibling\n"
    assert top_level_imports(source) == {"os", "numpy", "scipy"}
    assert third_party(top_level_imports(source), local={"kinora"}) == {"numpy", "scipy"}
    assert "scipy" not in DEBIAN_PACKAGE_OF          # so the walk above would report it


def test_the_list_parses_as_test_sh_reads_it():
    listed = listed_packages()
    assert {"python3-onnx", "python3-torch", "chromium", "ffmpeg"} <= listed
    assert all(" " not in p and "#" not in p for p in listed)
