"""The one write, RecordFeedback: idempotent by its `idempotency-key` metadata over gRPC."""

from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest

from phase5_mlops.systems_patterns.client import TabularClient
from phase5_mlops.systems_patterns.grpc_twin import TabularServicer, serve
from phase5_mlops.systems_patterns.idempotency import IdempotencyStore
from phase5_mlops.systems_patterns.loadtest import idempotency_load


@pytest.fixture
def keyed(artifact):
    servicer = TabularServicer(artifact, idempotency=IdempotencyStore())
    with serve(servicer) as target:
        client = TabularClient(target)
        yield servicer, client
        client.close()


def test_retry_with_the_same_key_applies_once(keyed, records):
    servicer, client = keyed
    first = client.record_feedback(records[0], "Adelie", key="k1")
    assert client.record_feedback(records[0], "Adelie", key="k1") == first == 1
    assert client.record_feedback(records[1], "Gentoo", key="k2") == 2
    assert len(servicer.feedback) == 2


def test_concurrent_duplicates_apply_once(keyed, records):
    servicer, client = keyed
    with ThreadPoolExecutor(8) as pool:
        seqs = list(
            pool.map(lambda _: client.record_feedback(records[0], "Adelie", key="k"), range(8))
        )
    assert seqs == [1] * 8 and len(servicer.feedback) == 1


@pytest.mark.parametrize(
    "key, label, second_label",
    [(None, "Adelie", None), ("k", "Adelie", "Gentoo"), ("k", "Penguin", None)],
    ids=["missing key", "key reused with another body", "unknown label"],
)
def test_bad_writes_are_invalid_argument(keyed, records, key, label, second_label):
    servicer, client = keyed
    if second_label:
        client.record_feedback(records[0], label, key=key)
        label = second_label
    with pytest.raises(grpc.RpcError) as err:
        client.record_feedback(records[0], label, key=key)
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert len(servicer.feedback) == (1 if second_label else 0)


def test_lost_replies_duplicate_writes_only_without_keys(artifact):
    without = idempotency_load(artifact, keys=False, writes=100)
    with_keys = idempotency_load(artifact, keys=True, writes=100)
    assert without["duplicates"] > 0
    assert with_keys == {"writes": 100, "applied": 100, "duplicates": 0}
