"""Count the import graph's cycles and back edges (issue 15's closing note).

Run from the worktree: ``PYTHONPATH=src python tools/import_graph.py``. Uses grimp (import-linter's
graph) over ``src/hoteldesk``: every import counted, also those inside functions and under
``TYPE_CHECKING``, as lint-imports counts them.

- module cycles: strongly connected components of more than one module in the module graph, and
  the number of modules in them;
- package cycles: the same over the packages one level below ``hoteldesk`` (an edge a → b when any
  module of a imports any module of b);
- back edges: ``ignore_imports`` entries of the layers contract in pyproject.toml.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path

import grimp


def _sccs(nodes: Iterable[str], edges: Mapping[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components (iterative: the graph has ~300 nodes)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges.get(w, ())))))
                    advanced = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(sorted(comp))
    return out


def main() -> int:
    graph = grimp.build_graph("hoteldesk", cache_dir=None)
    modules = sorted(graph.modules)
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in modules}
    mod_cycles = [c for c in _sccs(modules, edges) if len(c) > 1]

    def top(m: str) -> str:
        parts = m.split(".")
        return ".".join(parts[:2]) if len(parts) > 1 else m

    pkg_edges: dict[str, set[str]] = {}
    for a, bs in edges.items():
        for b in bs:
            if top(a) != top(b):
                pkg_edges.setdefault(top(a), set()).add(top(b))
    pkgs = sorted({top(m) for m in modules})
    pkg_cycles = [c for c in _sccs(pkgs, pkg_edges) if len(c) > 1]

    config = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    ignored = [i for c in contracts if c["id"] == "layers" for i in c.get("ignore_imports", [])]

    print(f"modules: {len(modules)}, imports: {sum(len(b) for b in edges.values())}")
    print(f"back edges (ignore_imports of the layers contract): {len(ignored)}")
    for i in ignored:
        print(f"  {i}")
    print(f"module cycles (SCCs > 1 module): {len(mod_cycles)}, modules in them: {sum(map(len, mod_cycles))}")
    for c in mod_cycles:
        print(f"  {len(c)}: {', '.join(x.removeprefix('hoteldesk.') for x in c)}")
    print(f"package cycles (SCCs > 1 package): {len(pkg_cycles)}")
    for c in pkg_cycles:
        print(f"  {' ⇄ '.join(x.removeprefix('hoteldesk.') for x in c)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
