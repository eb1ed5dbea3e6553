"""Upstream health for the router: passive ejection, retry rules and the active probe.

Passive health check (Envoy's `consecutive_gateway_failure`, nginx's `max_fails`): an
upstream whose requests fail at the transport level `eject_after` times in a row is taken
out of rotation; its share goes to the other upstream (when that one has a weight above
0: weight 0 means "send it nothing", and stays so). Only transport failures count
(refused, reset, timed out): a 500 is the service's answer, which the canary analysis must
see, not a reason to hide the version. An ejected upstream comes back when the active probe
(`GET /readyz`) answers 200, or when a request it was sent anyway succeeds. When every
upstream is ejected, the split's choice is used as if none were (Envoy's panic mode):
sending traffic somewhere beats refusing all of it. Envoy and nginx use the same rule for
retries: any method after a connect failure (nothing was sent), idempotent methods only
after a failure that may have reached the upstream.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

# Retried on another upstream after any transport failure: repeating them is harmless.
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# Failures where the request provably never reached the upstream: no connection was made.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass
class UpstreamHealth:
    """Consecutive failures of one upstream and whether it is out of rotation."""

    eject_after: int
    failures: int = 0
    ejected: bool = False
    ejections: int = 0

    def failed(self) -> bool:
        """Record a transport failure; True when this one ejected the upstream."""
        self.failures += 1
        if not self.ejected and self.failures >= self.eject_after:
            self.ejected = True
            self.ejections += 1
            return True
        return False

    def succeeded(self) -> None:
        """An answer came back (or the probe passed): in rotation again."""
        self.failures = 0
        self.ejected = False

    def as_dict(self) -> dict[str, int | bool]:
        return {
            "ejected": self.ejected,
            "consecutive_failures": self.failures,
            "ejections": self.ejections,
        }


def may_retry(method: str, err: Exception) -> bool:
    """Whether a request that failed with `err` may be sent again to another upstream.

    Idempotent methods always; any other method only when the request was never sent
    (no connection was made), so a POST is never delivered twice.
    """
    return method.upper() in IDEMPOTENT or isinstance(err, NOT_SENT)
