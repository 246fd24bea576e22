"""Extracts the fenced examples of the configuration guides, so tests cover every one of them."""
import re


def fenced(text, language):
    return re.findall(r"```" + language + r"\n(.*?)```", text, re.S)


def env_assignments(block):
    """KEY=value lines of a bash/env block; comments and surrounding quotes removed."""
    env = {}
    for line in block.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        if not value.startswith(("'", '"')):
            value = value.split("#", 1)[0].strip()
        env[key.strip()] = value.strip().strip("'\"")
    return env
