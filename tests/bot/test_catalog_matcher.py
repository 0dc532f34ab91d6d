"""The Rasa graph component: the catalog export read when trained, kept in the model.

Run in the rasa env: ``.venv/rasa/bin/python -m pytest tests/bot``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sample_catalog import CATALOG, REPO_ROOT

from bot.catalog_matcher import CatalogEntityExtractor, read_catalog
from bot.entity_matcher import EntityMatcher


def test_the_exported_catalog_has_the_reference_products() -> None:
    export = REPO_ROOT / "data" / "lookups" / "catalog.json"
    if not export.exists():
        pytest.skip("no catalog export yet (make catalog writes it)")
    matcher = EntityMatcher(read_catalog(export))
    text = "the Éclipse 3000 with the eclipse laptop bag and a spare battery"
    assert [f.value for f in matcher.find(text)] == ["ECL-3000", "BAG-ECL", "BAT-ECL3000"]


def test_read_catalog_rejects_other_json(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({"sku": "ECL-3000"}))
    with pytest.raises(ValueError, match="expected a JSON list"):
        read_catalog(path)


def write_catalog(path: Path, catalog: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    return path


def test_fingerprint_follows_the_catalog_content(tmp_path: Path) -> None:
    path = write_catalog(tmp_path / "catalog.json", CATALOG)
    config = {"catalog_path": str(path)}
    before = CatalogEntityExtractor.fingerprint_addon(config)
    assert CatalogEntityExtractor.fingerprint_addon(config) == before
    write_catalog(path, CATALOG[:1])
    assert CatalogEntityExtractor.fingerprint_addon(config) != before
    assert (
        CatalogEntityExtractor.fingerprint_addon({"catalog_path": str(tmp_path / "x")}) == "missing"
    )


def test_trained_component_keeps_its_catalog_in_the_model(tmp_path: Path) -> None:
    path = write_catalog(tmp_path / "catalog.json", CATALOG)
    (tmp_path / "model").mkdir()
    storage = LocalModelStorage(tmp_path / "model")
    resource = Resource("catalog_extractor")
    context = ExecutionContext(GraphSchema({}), "test")
    config = {**CatalogEntityExtractor.get_default_config(), "catalog_path": str(path)}

    CatalogEntityExtractor.create(config, storage, resource, context).train(TrainingData())
    path.unlink()  # the loaded model must not need the export any more
    loaded = CatalogEntityExtractor.load(config, storage, resource, context)

    message = Message(data={"text": "2 Éclipse 3000 to C-100001"})
    loaded.process([message])
    assert message.get("entities") == [
        {"entity": "quantity", "start": 0, "end": 1, "value": "2",
         "confidence_entity": 1.0, "extractor": "CatalogEntityExtractor"},
        {"entity": "product", "start": 2, "end": 14, "value": "ECL-3000",
         "confidence_entity": 1.0, "extractor": "CatalogEntityExtractor"},
        {"entity": "customer_number", "start": 18, "end": 26, "value": "C-100001",
         "confidence_entity": 1.0, "extractor": "CatalogEntityExtractor"},
    ]  # fmt: skip
