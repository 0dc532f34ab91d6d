"""The Rasa graph component and tokenizer with ``language: fr``, as the French config sets them.

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
from sample_catalog_fr import CATALOG_FR

from bot.catalog_matcher import CatalogEntityExtractor
from bot.tokenizer import PhoneAwareTokenizer


def _extractor(tmp_path: Path, **options: str) -> CatalogEntityExtractor:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(CATALOG_FR, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "model").mkdir()
    storage = LocalModelStorage(tmp_path / "model")
    resource = Resource("catalog_extractor")
    context = ExecutionContext(GraphSchema({}), "test")
    config = {
        **CatalogEntityExtractor.get_default_config(),
        "catalog_path": str(path),
        **options,
    }
    CatalogEntityExtractor.create(config, storage, resource, context).train(TrainingData())
    return CatalogEntityExtractor.load(config, storage, resource, context)


def _entities(extractor: CatalogEntityExtractor, text: str) -> list[tuple[str, str]]:
    message = Message(data={"text": text})
    extractor.process([message])
    return [(e["entity"], e["value"]) for e in message.get("entities")]


def test_the_language_option_defaults_to_english() -> None:
    assert CatalogEntityExtractor.get_default_config() == {
        "catalog_path": "data/lookups/catalog.json",
        "language": "en",
    }


def test_a_french_extractor_reads_french_messages(tmp_path: Path) -> None:
    extractor = _extractor(tmp_path, language="fr")

    assert _entities(extractor, "deux sacoches de l'éclipse pour le 12 décembre") == [
        ("quantity", "2"),
        ("product", "BAG-ECL"),
        ("date", "le 12 décembre"),
    ]


def test_an_english_extractor_knows_french_aliases_but_no_french_words(tmp_path: Path) -> None:
    extractor = _extractor(tmp_path)

    assert _entities(extractor, "deux sacoches pour demain") == [("product", "BAG-ECL")]


def test_an_unknown_language_fails_at_load(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="'es'"):
        _extractor(tmp_path, language="es")


def test_the_tokenizer_splits_elisions_and_keeps_french_phone_numbers_whole() -> None:
    tokenizer = PhoneAwareTokenizer(PhoneAwareTokenizer.get_default_config())
    message = Message(data={"text": "la sacoche de l'éclipse, rappelez au 06.98.76.54.32"})

    tokens = [t.text for t in tokenizer.tokenize(message, "text")]

    assert tokens == ["la", "sacoche", "de", "l", "éclipse", "rappelez", "au", "0698765432"]
