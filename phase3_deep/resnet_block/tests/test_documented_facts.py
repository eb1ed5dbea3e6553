"""Facts the README and docstrings state about the digits ResNet, checked so they cannot drift."""

from pathlib import Path

from phase3_deep.resnet_block.model import ResNetClassifier
from phase3_deep.resnet_block.train_digits import digits_config

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_digits_resnet_has_the_documented_parameter_count():
    model = ResNetClassifier(digits_config(), 10)
    count = sum(p.numel() for p in model.parameters())
    assert count == 5122
    assert "5,122 parameters" in README.read_text()
    assert "5,122 parameters" in (digits_config.__doc__ or "")
