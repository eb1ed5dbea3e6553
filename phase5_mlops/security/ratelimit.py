"""Token-bucket rate limiting shared by every replica through Redis.

The in-memory limiter of the service kit (`phase0_env.common.ratelimit`) serves one process;
behind a load balancer each replica would grant its own burst. `RedisTokenBucket` keeps the
bucket in Redis and updates it in one Lua script, so the read-refill-take step is atomic across
replicas. It implements the same arithmetic as the in-memory limiter, so the two make the same
decisions on the same timeline (a test replays one timeline through both). Over the bucket of
`minimal.py` it adds the shared state, the atomic script and key expiry.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

# KEYS[1] = bucket key; ARGV = rate (tokens/s), burst, now (s). Returns the wait in seconds
# as a string ("0" when a token was taken), since Lua numbers come back truncated to integers.
_SCRIPT = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'last')
local tokens = tonumber(state[1])
local last = tonumber(state[2])
if tokens == nil then tokens = burst; last = now end
tokens = math.min(burst, tokens + (now - last) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens),
           'last', string.format('%.17g', now))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 1)
return string.format('%.17g', wait)
"""


class RedisTokenBucket:
    """`acquire(key)` -> 0.0 when allowed, else the seconds to wait (a Retry-After value)."""

    def __init__(
        self,
        client: Any,
        rate: float,
        burst: float,
        prefix: str = "ratelimit:",
        clock: Callable[[], float] = time.time,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.client, self.rate, self.burst, self.prefix = client, rate, burst, prefix
        self._clock = clock
        self._script = client.register_script(_SCRIPT)

    @property
    def enabled(self) -> bool:
        return True

    def acquire(self, key: str) -> float:
        wait = self._script(
            keys=[self.prefix + key], args=[repr(self.rate), repr(self.burst), repr(self._clock())]
        )
        return float(wait)
