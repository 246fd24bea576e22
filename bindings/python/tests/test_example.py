"""examples/python/quickstart.py runs over the mock and prints what it promises."""
import os
import subprocess
import sys

from conftest import REPO


def test_quickstart(mock):
    env = dict(os.environ, MOCK_BASE=mock.base)
    result = subprocess.run([sys.executable, str(REPO / "examples" / "python" / "quickstart.py")], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("answer: Hello from the mock (")
    assert lines[1].endswith("in pool backup, fallback used: True")
    assert lines[2] == "  attempt: primary/flaky-primary -> 503 (transient)"
    assert "streamed: tok1 tok2 tok3 tok4 tok5 | provider: backup-" in result.stdout
    assert "error: NotFoundError, status 404" in result.stdout
    assert lines[-1] in ("async: 20 answers from backup-haiku, backup-llama",
                         "async: 20 answers from backup-haiku", "async: 20 answers from backup-llama")
