"""The benchmark corpus: N generated filled forms (mixed .xlsx/.docx), cached on disk.

Owns the cache folder under the system temp dir (keyed by a hash of the generator's source,
so an edited generator rebuilds it). Builds forms with tests.formgen; never parses them.
"""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tests.formgen.catalogue import build, random_variant

FORMGEN = Path(__file__).resolve().parent.parent / "tests" / "formgen"


@dataclass(frozen=True)
class Form:
    """One generated form file."""

    seed: int
    filename: str
    kind: str
    data: bytes


def cache_dir() -> Path:
    """Where forms built by this generator version are kept between runs."""
    digest = hashlib.sha256()
    for path in sorted(FORMGEN.glob("*.py")):
        digest.update(path.read_bytes())
    return Path(tempfile.gettempdir()) / f"mailbot-bench-forms-{digest.hexdigest()[:12]}"


def forms(n: int) -> list[Form]:
    """The first `n` buildable seeded random forms, building the missing ones (all cores)."""
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    have = {int(p.name.split("--")[0]): p for p in folder.iterdir() if "--" in p.name}
    skipped = {int(p.name.split(".")[0]) for p in folder.glob("*.skip")}
    seeds: list[int] = []
    seed = 0
    todo: list[int] = []
    while len(seeds) + len(todo) < n:
        if seed in have:
            seeds.append(seed)
        elif seed not in skipped:
            todo.append(seed)
        seed += 1
    if todo:
        print(f"  building {len(todo)} forms into {folder} ...", flush=True)
        with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
            built = pool.map(_build_one, [(s, str(folder)) for s in todo], chunksize=8)
        if not all(built):  # a seed the generator cannot build: take more seeds
            return forms(n)
        seeds.extend(todo)
        have = {int(p.name.split("--")[0]): p for p in folder.iterdir() if "--" in p.name}
    return [_load(have[s]) for s in sorted(seeds)[:n]]


def _build_one(job: tuple[int, str]) -> bool:
    seed, folder = job
    variant = random_variant(seed)
    try:
        data = deflate(build(variant))
    except StopIteration:
        # formgen cannot reorder a row it also deleted (deleted_rows + reordered_rows); skip.
        (Path(folder) / f"{seed}.skip").touch()
        return False
    target = Path(folder) / f"{seed:05d}--{variant.kind}--{variant.filename}"
    tmp = target.with_name(target.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(target)
    return True


def _load(path: Path) -> Form:
    seed, kind, filename = path.name.split("--", 2)
    return Form(int(seed), filename, kind, path.read_bytes())


def deflate(data: bytes) -> bytes:
    """The same package with its members deflated, as Excel and Word save them.

    formgen's `_stable` writes members with ZipInfo objects, which default to ZIP_STORED, so
    its files are 3–20× larger than real ones (a .docx ~860 KB instead of ~40 KB).
    """
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, item.date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()
