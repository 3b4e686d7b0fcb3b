"""``cache/keys.json``: the key each work was given, so every later run gives it the same one."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tridentbib.store.cache import write_atomically


class KeyStore:
    """``cache/keys.json``: the key each work was given, shared by runs using this cache."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        #: what was wrong with an unreadable keys.json (it is moved aside, not overwritten)
        self.problem = ""
        self.known: dict[str, str] = self._load()

    def _load(self) -> dict[str, str]:
        if self.path is None or not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            keys = data["keys"]
            if not isinstance(keys, dict):
                raise ValueError("'keys' is not an object")
        except (OSError, ValueError, KeyError, TypeError) as error:
            self._set_aside(f"{type(error).__name__}: {error}")
            return {}
        return {str(k): str(v) for k, v in keys.items()}

    def _set_aside(self, problem: str) -> None:
        """Keep a corrupt keys.json for the user (it holds their keys) and start a new one."""
        assert self.path is not None
        aside = self.path.with_name(self.path.name + ".corrupt")
        try:
            os.replace(self.path, aside)
        except OSError:
            pass
        self.problem = f"{self.path} could not be read ({problem}); moved to {aside.name}; keys were assigned afresh"

    def save(self, assigned: dict[str, str]) -> None:
        """Merge this run's keys into the file under a lock (concurrent runs see each other's keys)."""
        if self.path is None:
            return
        if all(self.known.get(ident) == key for ident, key in assigned.items()) and self.path.exists():
            return  # nothing new (the file only ever gains keys): no lock, no write
        from filelock import FileLock  # here: most warm runs never get this far

        self.path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.path) + ".lock", timeout=60):
            current = KeyStore(self.path).known
            merged = {**current, **{k: v for k, v in assigned.items() if k not in current}}
            if merged == current and self.path.exists():
                return
            text = json.dumps({"schema": 1, "keys": dict(sorted(merged.items()))}, indent=2, ensure_ascii=False) + "\n"
            write_atomically(self.path, text)
