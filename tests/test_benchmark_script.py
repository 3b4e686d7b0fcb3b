"""benchmarks/run.py --quick runs end to end and prints its table (no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmark_prints_the_table(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--keep", str(tmp_path / "work")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    out = completed.stdout
    assert completed.returncode == 0, out + completed.stderr
    header = next(line for line in out.splitlines() if line.startswith("| run "))
    for column in ("N", "arXiv delay", "cold s", "floor s", "cold/floor", "warm s", "cold requests", "peak RSS"):
        assert column in header
    rows = [line for line in out.splitlines() if line.startswith("| tridentbib ") or line.startswith("| naive")]
    assert any(line.startswith("| tridentbib ") and "| 20 |" in line for line in rows)
    assert any(line.startswith("| tridentbib ") and "| 60 |" in line for line in rows)
    assert any(line.startswith("| naive, 1 id per request") for line in rows)
    assert "machine:" in out and "--help`:" in out and "targets:" in out
    assert "--venues full" in out or "venues: not available" in out
    # every run resolved its whole list, and warm runs asked nothing
    for line in rows:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        entries = cells[-1].split()[0]
        done, total = entries.split("/")
        assert done == total, line
        if line.startswith("| tridentbib ") and cells[10] != "-":
            assert cells[10] == "0", line
