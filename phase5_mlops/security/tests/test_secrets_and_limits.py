"""The repository holds no secrets; the scanner finds planted ones; Redis limits like memory."""

import pytest

from phase0_env.common.paths import project_root
from phase5_mlops.security.parity import limiter_parity, timeline
from phase5_mlops.security.secrets_scan import entropy, scan_repository, scan_text

ROOT = project_root(__file__)  # the repository, or a copied-out starter's own folder
# Built at run time so this file itself does not contain a secret-shaped string.
PLANTED = {
    "aws-access-key-id": "key = " + "AKIA" + "Q" * 16,
    "private-key": "-----BEGIN " + "RSA PRIVATE KEY-----",
    "github-token": "ghp_" + "a1B2" * 9,
    "high-entropy-assignment": 'api_key = "' + "x7Fq9LmP2vRt8WzK4nYb" + '"',
}


def test_the_repository_has_no_secrets():
    findings = scan_repository(ROOT)
    assert findings == [], findings


@pytest.mark.parametrize("rule", sorted(PLANTED))
def test_planted_secrets_are_found(rule):
    assert [f.rule for f in scan_text(PLANTED[rule])] == [rule]


def test_low_entropy_placeholders_are_not_secrets():
    assert scan_text('password = "changeme-changeme"') == []
    assert entropy("aaaa") == 0.0 and entropy("abcd") == 2.0


@pytest.mark.service
def test_redis_limiter_makes_the_same_decisions_as_the_in_memory_one():
    result = limiter_parity()
    assert result.passed, result.detail
    assert result.reference.startswith("redis ")


def test_the_timeline_both_grants_and_refuses():
    from phase0_env.common.ratelimit import TokenBucketLimiter
    from phase5_mlops.security.parity import replay

    waits = replay(lambda clock: TokenBucketLimiter(2.0, 5, clock=clock), timeline())
    assert 0 < sum(w > 0 for w in waits) < len(waits)
