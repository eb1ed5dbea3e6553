"""The minimal checks against the full version, Redis, scipy and published examples."""

from __future__ import annotations

import random
import shutil

import pytest

from phase0_env.common.parity import assert_parity
from phase0_env.common.ratelimit import TokenBucketLimiter
from phase4_llm.evals.safety import luhn_valid
from phase5_mlops.security import minimal
from phase5_mlops.security.parity import replay, timeline
from phase5_mlops.security.pii import IBAN_LENGTHS, iban_valid
from phase5_mlops.security.secrets_scan import entropy

RATE, BURST = 2.0, 5


def test_token_bucket_equals_the_in_memory_limiter():
    events = timeline()
    full = replay(lambda clock: TokenBucketLimiter(RATE, BURST, clock=clock), events)
    ours = minimal.token_bucket(events, RATE, BURST)
    # The same float operations in the same order.
    assert_parity(ours, full, reference="full version", rtol=1e-15, name="token bucket waits")
    assert 0 < sum(w > 0 for w in ours) < len(ours)  # the timeline both grants and refuses


@pytest.mark.service
def test_token_bucket_equals_the_redis_script():
    pytest.importorskip("redis")
    import redis

    from phase5_mlops.security.ratelimit import RedisTokenBucket
    from phase5_mlops.security.redis_server import redis_server

    if shutil.which("redis-server") is None:
        pytest.skip("redis-server not installed")
    events = timeline(120)
    with redis_server() as url:
        client = redis.Redis.from_url(url)
        waits = replay(lambda clock: RedisTokenBucket(client, RATE, BURST, clock=clock), events)
    # Lua numbers are doubles carried between calls as %.17g text (a lossless round trip);
    # 1e-12 only allows for the Lua interpreter evaluating the same formula.
    assert_parity(
        minimal.token_bucket(events, RATE, BURST),
        waits,
        reference="redis Lua",
        rtol=1e-12,
        name="token bucket vs redis",
    )


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def test_luhn_on_published_test_cards_and_random_numbers():
    cards = ["4111 1111 1111 1111", "5555-5555-5555-4444", "378282246310005", "6011111111111117"]
    assert_parity(
        [minimal.luhn_valid(c) for c in cards],
        [True] * 4,
        reference="published test cards",
        exact=True,
        name="luhn test cards",
    )
    rng = random.Random(0)
    numbers = [_digits(rng, rng.randint(11, 21)) for _ in range(2000)]
    ours = [minimal.luhn_valid(n) for n in numbers]
    assert_parity(
        ours,
        [luhn_valid(n) for n in numbers],
        reference="full version",
        exact=True,
        name="luhn vs full",
    )
    assert 100 < sum(ours) < 400  # about a tenth of the right-length numbers pass


def test_iban_on_the_published_example_and_mutations():
    good = "GB82 WEST 1234 5698 7654 32"  # the example of the ISO 13616 standard
    assert minimal.iban_valid(good, IBAN_LENGTHS)
    rng = random.Random(1)
    candidates = [good.replace("82", f"{k:02d}", 1) for k in range(100)]  # every check digit
    candidates += ["DE" + _digits(rng, 20) for _ in range(500)] + ["GB82WEST1234", "XX00"]
    ours = [minimal.iban_valid(c, IBAN_LENGTHS) for c in candidates]
    assert_parity(
        ours,
        [iban_valid(c) for c in candidates],
        reference="full version",
        exact=True,
        name="iban vs full",
    )
    assert sum(ours[:100]) == 1  # exactly one check-digit pair is valid


def test_entropy_equals_scipy_and_the_full_version():
    stats = pytest.importorskip("scipy.stats")
    from collections import Counter

    texts = ["aaaa", "abcd", "changeme-changeme", "q8Zr!x2Lk0vP-7yTn", "hello world"]
    ours = [minimal.entropy(t) for t in texts]
    ref = [float(stats.entropy(list(Counter(t).values()), base=2)) for t in texts]
    # scipy normalises then sums p*log(p) with its own log base change: a few ulps.
    assert_parity(ours, ref, reference="scipy entropy", rtol=1e-12, atol=1e-15, name="entropy")
    assert_parity(
        ours,
        [entropy(t) for t in texts],
        reference="full version",
        rtol=1e-15,
        name="entropy vs full",
    )
