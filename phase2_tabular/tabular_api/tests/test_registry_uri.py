"""`models:/` references are parsed strictly and refused with a clear ArtifactError."""

import pytest

from phase2_tabular.tabular_api.artifact import ArtifactError, load_artifact
from phase2_tabular.tabular_api.model_uri import is_registry_uri, parse_registry_uri


def test_alias_and_version_references_parse():
    assert parse_registry_uri("models:/penguins@champion") == ("penguins", "champion", None)
    assert parse_registry_uri("models:/penguins/3") == ("penguins", None, "3")
    assert is_registry_uri("models:/penguins@champion") and not is_registry_uri("/tmp/model")


@pytest.mark.parametrize("uri", ["models:/", "models:/penguins", "models:/p/x", "models:/@a"])
def test_malformed_references_are_refused(uri):
    with pytest.raises(ArtifactError, match="expected models:/NAME@ALIAS"):
        load_artifact(uri)
