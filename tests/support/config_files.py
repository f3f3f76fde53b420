"""Config files for CLI tests: a config mapping written as TOML, checked by reading it back."""

from __future__ import annotations

import tomllib
from pathlib import Path


def toml_value(value: object) -> str:
    """A Python value as TOML (the few types these configs use)."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return str(value)


def write_config(path: Path, data: dict) -> Path:
    """Write a config mapping as a TOML file (checked by reading it back)."""
    lines: list[str] = []
    for section, table in data.items():
        if section == "units":
            continue
        lines.append(f"[{section}]")
        lines += [f"{k} = {toml_value(v)}" for k, v in table.items()]
    for unit in data.get("units", []):
        lines.append("[[units]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in unit.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert tomllib.loads(path.read_text(encoding="utf-8")) == data
    return path
