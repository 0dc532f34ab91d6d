"""The Rasa graph component that finds entities by rule, with the catalog in the model.

:class:`CatalogEntityExtractor` (``config.yml``'s pipeline) reads the CRM's
catalog export when trained, stores it with the model, and hands every
message's text to :class:`bot.entity_matcher.EntityMatcher`, which says what
each entity is and its canonical value. Its ``language`` option (``"en"``, the
default, or ``"fr"``) says which language's words the rules read; the
config generated for a French model sets ``language: fr``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.entity_matcher import EntityMatcher

logger = logging.getLogger(__name__)

DEFAULT_CATALOG_PATH = "data/lookups/catalog.json"
DEFAULT_LANGUAGE = "en"
_CATALOG_FILE = "catalog.json"


def read_catalog(path: Path) -> list[dict[str, Any]]:
    """The catalog export: a JSON list of ``{"sku", "name", "category", "aliases"}``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, list) or not all(isinstance(p, dict) and "sku" in p for p in data):
        raise ValueError(f"{path}: expected a JSON list of products with a 'sku'")
    return data


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class CatalogEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Rasa entity extractor: catalog products and contact values by rule.

    It is registered as trainable on purpose: "training" reads the catalog export
    into the model, so a trained model carries the catalog it was trained with and
    does not depend on the server's working directory. Non-trainable components
    are not part of Rasa's training graph, so their ``fingerprint_addon`` is never
    consulted; here the export's content hash makes ``rasa train`` retrain the
    component (and write a new model) exactly when the catalog changed.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The CRM's catalog export (``catalog_path``) and the messages' ``language``."""
        return {"catalog_path": DEFAULT_CATALOG_PATH, "language": DEFAULT_LANGUAGE}

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The content hash of the catalog export, so a changed catalog retrains."""
        path = Path(config.get("catalog_path", DEFAULT_CATALOG_PATH))
        if not path.is_file():
            return "missing"
        return hashlib.sha256(path.read_bytes()).hexdigest()

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        catalog: list[dict[str, Any]] | None = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._catalog = catalog or []
        # "en" or "fr" (bot.entity_matcher.LANGUAGES); another is refused here, at load.
        self._language = str(config.get("language", DEFAULT_LANGUAGE))
        self._matcher = EntityMatcher(self._catalog, language=self._language)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CatalogEntityExtractor:
        """A new, untrained extractor (it knows no products until trained)."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Read the catalog export and store it with the model."""
        self._catalog = read_catalog(Path(self._config["catalog_path"]))
        self._matcher = EntityMatcher(self._catalog, language=self._language)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / _CATALOG_FILE).write_text(
                json.dumps(self._catalog, ensure_ascii=False), encoding="utf-8"
            )
        logger.info(
            "catalog: %d products from %s", len(self._catalog), self._config["catalog_path"]
        )
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> CatalogEntityExtractor:
        """The extractor with the catalog stored at training time."""
        with model_storage.read_from(resource) as directory:
            catalog = read_catalog(directory / _CATALOG_FILE)
        return cls(config, model_storage, resource, catalog)

    def process(self, messages: list[Message]) -> list[Message]:
        """Add the entities found in each message's text."""
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            found = [f.as_rasa() for f in self._matcher.find(text)]
            message.set(
                ENTITIES,
                message.get(ENTITIES, []) + self.add_extractor_name(found),
                add_to_output=True,
            )
        return messages
