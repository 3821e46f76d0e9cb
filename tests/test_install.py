"""kg as a user gets it: the wheel, installed into a fresh virtual environment, used from elsewhere.

The editable install `make` sets up reads the checkout, so it hides package data
missing from the wheel and dependencies that happen to be installed for another
reason (lxml 6 moved `lxml.html.clean` into `lxml_html_clean` and dropped the
extra that pulled it in: a plain install then failed on every HTML account).
"""
from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

TXT = """Why I resigned as branch secretary

I have resigned as Secretary of the Northgate branch of the Labour Party. I was elected
to the post in March 2014, and the Regional Director, Alan Grey, told me last week
that the National Executive Committee would hear the complaint.
"""
MD = """---
title: A meeting of the Labour Group
author: Ruth Evans
date: 2017-02-03
---
# A meeting of the Labour Group

The Labour Group met on 2 February 2017. Councillor Peter Lane, the Leader of the
Labour Group, proposed a vote of no confidence, and I voted against it.
"""
HTML = """<!doctype html><html><head><title>Suspended without a hearing</title></head>
<body><nav>Home | About | Subscribe to our newsletter</nav><article>
<h1>Suspended without a hearing</h1><p>By Sam Porter</p>
<p>On 12 July 2016 the Compliance Unit suspended me from the Labour Party. I had been
a member for twenty years and Chair of the local Momentum group.</p>
<p>Nobody from the National Executive Committee has told me what the complaint was.</p>
</article><footer>Cookie policy</footer></body></html>
"""


def _run(cmd: list[str | Path], cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def _env() -> dict[str, str]:
    """This environment without what would let the checkout or the test venv leak in."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_builds_txt_md_html(tmp_path: Path) -> None:
    """Build the wheel, `pip install` it into a new venv, `kg build` and `kg validate` from outside the checkout.

    The install is a real one: pip resolves every declared dependency from the
    package registry (or its cache), as a user's `pip install kg-*.whl` would,
    and nothing of the test's own environment is visible to the new venv (no
    --system-site-packages, no PYTHONPATH). That is what proves the dependency
    list and the package data are complete; it takes a minute or two, hence
    `slow` (CI runs it with the rest: `make test`).
    """
    env = _env()
    source, dist = tmp_path / "source", tmp_path / "dist"  # built from a copy: setuptools writes build/ there
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "output", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis"))
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, source], tmp_path, env)
    assert built.returncode == 0, built.stderr[-3000:]
    wheels = list(dist.glob("kg-*.whl"))
    assert len(wheels) == 1, wheels

    fresh = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(fresh)
    bindir = fresh / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    installed = _run([python, "-m", "pip", "install", "-q", wheels[0]], tmp_path, env)
    assert installed.returncode == 0, installed.stderr[-3000:]

    work = tmp_path / "elsewhere"
    accounts = work / "accounts"
    accounts.mkdir(parents=True)
    (accounts / "resignation.txt").write_text(TXT, encoding="utf-8")
    (accounts / "meeting.md").write_text(MD, encoding="utf-8")
    (accounts / "suspended.html").write_text(HTML, encoding="utf-8")

    where = _run([python, "-c", "import graph; print(graph.__file__)"], work, env)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).resolve().is_relative_to(fresh.resolve()), where.stdout
    assert not Path(where.stdout.strip()).resolve().is_relative_to(ROOT)

    kg = bindir / ("kg.exe" if os.name == "nt" else "kg")
    result = _run([kg, "build", "accounts", "-o", "out"], work, env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Built 3 accounts from 3 files" in result.stdout, result.stdout
    for name in ("graph.trig", "graph.ttl", "graph.html"):
        assert (work / "out" / name).stat().st_size > 0
    trig = (work / "out" / "graph.trig").read_text(encoding="utf-8")
    for source in ("resignation.txt", "meeting.md", "suspended.html"):
        assert f'"{source}"' in trig
    assert "Cookie policy" not in trig and "newsletter" not in trig  # page furniture dropped

    checked = _run([kg, "validate", "out/graph.trig"], work, env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "conforms: 3 accounts" in checked.stdout

    # No paths and no checkout around: a clear usage error, not a traceback or an empty build.
    bare = _run([kg, "build", "-o", "out2"], work, env)
    assert bare.returncode == 2, bare.stdout + bare.stderr
    assert bare.stderr.startswith("Error: no PATHS given") and "Traceback" not in bare.stderr
    assert not (work / "out2" / "graph.trig").exists()


def _imported_top_levels() -> set[str]:
    """Top-level names of every module the package imports, outside the standard library and itself."""
    names: set[str] = set()
    for path in (ROOT / "graph").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in ("graph", "__future__")}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_import_is_a_declared_dependency() -> None:
    """Each third-party module the code imports comes from a distribution pyproject names itself.

    Not one that happens to arrive through another package: that is how
    `lxml.html.clean` went missing from plain installs. A runtime extra (`ftm`; not
    the test or bench tools) declares its own, for the one format that imports it.
    """
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = [req for name, reqs in project["optional-dependencies"].items() if name not in ("test", "bench")
              for req in reqs]
    declared = {_normal(re.split(r"[\s\[<>=!~;]", req, maxsplit=1)[0]) for req in project["dependencies"] + extras}
    providers = packages_distributions()
    undeclared = {name: providers.get(name) for name in _imported_top_levels()
                  if not {_normal(d) for d in providers.get(name, [])} & declared}
    assert not undeclared, f"imported but not declared in pyproject's dependencies: {undeclared}"
    assert "lxml-html-clean" in declared  # needed by trafilatura's HTML cleaning, imported there
