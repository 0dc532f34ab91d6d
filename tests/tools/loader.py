"""Load a tool of ``tools/`` (scripts, not a package) as a module for its tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

TOOLS = Path(__file__).resolve().parents[2] / "tools"


def load_tool(filename: str, module_name: str) -> ModuleType:
    """``tools/<filename>`` as the module ``module_name``."""
    spec = importlib.util.spec_from_file_location(module_name, TOOLS / filename)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module
