"""Stage and direction for scored candidates: the promoted stage model when
there is one, the cue lexicon otherwise (classifiers.stages)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from classifiers.stage_store import load_stage_model
from classifiers.stages import StageModel, passage, suggest_by_lexicon
from classifiers.tokenize import AnalyzedDocument

LEXICON = "lexicon"


class StageSuggester:
    def __init__(self, model: StageModel | None = None, version: str = LEXICON) -> None:
        self.model = model
        self.version = version if model is not None else LEXICON

    @classmethod
    def load(cls, models_dir: Path) -> StageSuggester:
        loaded = load_stage_model(models_dir)
        return cls(*loaded[:1], loaded[1]["version"]) if loaded else cls()

    def suggest(self, pairs: Sequence[tuple[AnalyzedDocument, int]]) -> list[dict[str, object]]:
        """One evidence entry per (document, matched sentence index); a
        passage shared by several pledges of one article is predicted once."""
        texts = [passage(doc, sentence) for doc, sentence in pairs]
        unique = list(dict.fromkeys(texts))
        if self.model is not None:
            suggestions = self.model.predict(unique)
        else:
            suggestions = [suggest_by_lexicon(text) for text in unique]
        by_text = {text: s.as_evidence(self.version) for text, s in zip(unique, suggestions, strict=True)}
        return [by_text[text] for text in texts]
