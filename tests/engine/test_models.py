"""Model registry: files located on disk, licences recorded, clear error when missing."""

from __future__ import annotations

import os

import pytest

from deepfakesweb.engine import MODELS, ModelMissing, model_path


def test_every_registered_model_file_exists():
    for name in MODELS:
        assert os.path.isfile(model_path(name))


def test_registry_never_lists_the_68_point_model():
    assert not any("68" in spec.relative_path for spec in MODELS.values())
    assert all(spec.licence for spec in MODELS.values())


def test_unknown_model_is_a_clear_error():
    with pytest.raises(ModelMissing) as err:
        model_path("shape_predictor_68")
    assert err.value.code == "model_missing"


def test_missing_model_file_names_the_expected_path(monkeypatch):
    spec = MODELS["shape_predictor_5"]
    monkeypatch.setitem(MODELS, "gone", type(spec)("gone", spec.package, "models/nope.dat", "CC0", "test"))
    with pytest.raises(ModelMissing, match="nope.dat"):
        model_path("gone")
