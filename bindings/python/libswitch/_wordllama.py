"""The wordllama package's static embedding model, as the file embedder's default files.

When a configuration is loaded and neither SWITCH_EMBEDDING_MODEL nor SWITCH_EMBEDDING_TOKENIZER
is set, the files that the ``wordllama`` package ships (its l2_supercat 256-dimension model and
its Llama 2 tokenizer) are given to the loader in their place, for that load only: os.environ is
not changed. A router whose semantic embedder is ``"file"`` with no paths then embeds as
``WordLlama.load().embed(text)`` does.

The package is found with ``importlib.util.find_spec``, which locates it without running its
``__init__`` (that imports numpy, tokenizers and requests): importing libswitch, or loading a
configuration, never imports wordllama.
"""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Dict, Optional

MODEL_VAR = "SWITCH_EMBEDDING_MODEL"
TOKENIZER_VAR = "SWITCH_EMBEDDING_TOKENIZER"

# The model WordLlama.load() uses by default (config "l2_supercat", dim 256), inside the package.
_MODEL = ("weights", "l2_supercat_256.safetensors")
_TOKENIZER = ("tokenizers", "l2_supercat_tokenizer_config.json")


def wordllama_files() -> Optional[Dict[str, str]]:
    """The paths of wordllama's bundled model and tokenizer, by variable name; None when the
    package is not installed or lacks either file."""
    try:
        spec = importlib.util.find_spec("wordllama")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        root = Path(location)
        model, tokenizer = root.joinpath(*_MODEL), root.joinpath(*_TOKENIZER)
        if model.is_file() and tokenizer.is_file():
            return {MODEL_VAR: str(model), TOKENIZER_VAR: str(tokenizer)}
    return None


def embedding_env() -> Optional[Dict[str, str]]:
    """The environment overlay for a configuration load: wordllama's files when neither variable
    is set (setting one means choosing files, so the other is never filled in from wordllama)."""
    if os.environ.get(MODEL_VAR) or os.environ.get(TOKENIZER_VAR):
        return None
    return wordllama_files()
