"""Find secrets committed to a repository: cloud keys, tokens, private keys, hard-coded passwords.

Secrets belong in the environment, never in files. Specific token formats are matched exactly;
generic `password = "..."` assignments are reported only when the value looks random (Shannon
entropy of at least 3.5 bits per character), so `password = "changeme"` in docs is not noise.
"""

from __future__ import annotations

import math
import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

RULES = {
    "aws-access-key-id": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "private-key": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP )?PRIVATE KEY-----"),
    "github-token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36}\b"),
    "slack-token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}\b"),
    "openai-style-key": re.compile(r"\bsk-[A-Za-z0-9]{32,}\b"),
}
ASSIGNMENT = re.compile(
    r"(?i)\b(password|passwd|secret|api[_-]?key|token|auth)\w*\s*[:=]\s*[\"']([^\"'\s]{12,})[\"']"
)
MIN_ENTROPY = 3.5
SKIP_SUFFIXES = {
    ".png",
    ".jpg",
    ".gif",
    ".gguf",
    ".safetensors",
    ".parquet",
    ".pkl",
    ".so",
    ".whl",
    ".zip",
    ".gz",
    ".db",
}


@dataclass(frozen=True)
class SecretFinding:
    """Where a secret-looking string is (the value itself is never stored)."""

    path: str
    line: int
    rule: str


def entropy(text: str) -> float:
    """Shannon entropy in bits per character. Example: entropy("aaaa") == 0.0."""
    counts = Counter(text)
    return -sum(c / len(text) * math.log2(c / len(text)) for c in counts.values())


def scan_text(text: str, path: str = "<text>") -> list[SecretFinding]:
    """Findings in one file's text."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for rule, pattern in RULES.items():
            if pattern.search(line):
                found.append(SecretFinding(path, number, rule))
        for match in ASSIGNMENT.finditer(line):
            if entropy(match.group(2)) >= MIN_ENTROPY:
                found.append(SecretFinding(path, number, "high-entropy-assignment"))
    return found


def tracked_files(root: Path) -> list[Path]:
    """Files git tracks or would add (not ignored); every file under root without git."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        )
        return [root / p for p in out.stdout.splitlines() if p]
    except (OSError, subprocess.CalledProcessError):
        return [p for p in root.rglob("*") if p.is_file()]


def scan_repository(root: Path) -> list[SecretFinding]:
    """Findings in every text file of the repository."""
    found = []
    for path in tracked_files(root):
        if path.suffix in SKIP_SUFFIXES or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        found += scan_text(text, str(path.relative_to(root)))
    return found
