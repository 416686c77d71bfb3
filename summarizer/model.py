"""The sentence scorer: a tiny MLP (or logistic regression) stored as JSON, run with numpy.

The file holds the feature names (checked against `FEATURE_NAMES`), the standardization,
the layers, the syllable IDF table and the length policy tuned on validation data, so one file is the whole
model. `summarizer.train` writes it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from summarizer.features import FEATURE_NAMES, Idf

DEFAULT_MODEL = Path(__file__).with_name("model.json")


def _softmax_rows(x: np.ndarray) -> np.ndarray:
    """Softmax down the rows: the sentences of one article compete for the summary."""
    shifted = np.exp(x - x.max(axis=0, keepdims=True))
    return shifted / shifted.sum(axis=0, keepdims=True)


_ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "relu": lambda x: np.maximum(x, 0.0),
    "tanh": np.tanh,
    "sigmoid": lambda x: 1.0 / (1.0 + np.exp(-x)),
    "linear": lambda x: x,
    "softmax": _softmax_rows,
}


class ModelFileError(ValueError):
    """The model file does not match this code (features changed, file damaged)."""


@dataclass(frozen=True)
class Policy:
    """How many sentences to take: see `summarizer.select.select`."""

    # The defaults are the policy tuned for the first model: retuning starts there.
    target_syllables: int = 80
    max_syllables: int = 100
    max_sentences: int = 2
    min_ratio: float = 0.1
    mmr_lambda: float = 0.6
    # A best sentence that points back (`Tuy nhiên , …`, `Điều này …`) opens the summary
    # without its connective when the rest stands alone (drop_links), or after the
    # sentence before it (lead_in); otherwise another sentence opens. Tuned on data.
    drop_links: bool = True
    lead_in: bool = False
    # Added to the score of the article's first readable sentence (its lede), so that the
    # summary opens on it more often. Read by hand, summaries that open on the lede are
    # wrong far less often than those that open further in, and cost ROUGE: see
    # `bench/summary_frontier.py` and docs/summaries.md. 0 is the ROUGE-tuned choice.
    lede_bonus: float = 0.0

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Policy:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


@dataclass
class SentenceModel:
    mean: np.ndarray
    scale: np.ndarray
    layers: list[tuple[np.ndarray, np.ndarray, str]]
    idf: Idf = field(default_factory=Idf)
    policy: Policy = field(default_factory=Policy)
    meta: dict[str, Any] = field(default_factory=dict)

    def score(self, features: np.ndarray) -> np.ndarray:
        """How much each sentence (a row; all rows of one article) belongs in the summary."""
        x = (np.asarray(features, dtype=np.float64) - self.mean) / self.scale
        for weights, bias, activation in self.layers:
            x = _ACTIVATIONS[activation](x @ weights + bias)
        return x[:, 0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "diplobot-sentence-scorer/1",
            "feature_names": list(FEATURE_NAMES),
            "mean": _rounded(self.mean),
            "scale": _rounded(self.scale),
            "layers": [
                {"weights": _rounded(w), "bias": _rounded(b), "activation": a} for w, b, a in self.layers
            ],
            "policy": self.policy.__dict__,
            "idf": {"rare": self.idf.rare, "table": self.idf.table},
            "meta": self.meta,
        }

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _rounded(array: np.ndarray) -> list:
    """Six significant digits: enough for scoring, and keeps the file small and stable."""
    return np.vectorize(lambda v: float(f"{v:.6g}"), otypes=[float])(np.asarray(array)).tolist()


def load_model(path: str | Path | None = None) -> SentenceModel:
    """Read a model file; ModelFileError when it does not fit the current features."""
    path = Path(path) if path else DEFAULT_MODEL
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelFileError(f"cannot read sentence model {path}: {exc}") from exc
    names = data.get("feature_names")
    if names != list(FEATURE_NAMES):
        raise ModelFileError(f"{path}: feature names differ from summarizer.features; retrain the model")
    layers = [
        (np.asarray(layer["weights"], dtype=np.float64), np.asarray(layer["bias"], dtype=np.float64), layer["activation"])
        for layer in data["layers"]
    ]
    if layers[0][0].shape[0] != len(FEATURE_NAMES):
        raise ModelFileError(f"{path}: first layer expects {layers[0][0].shape[0]} features")
    return SentenceModel(
        mean=np.asarray(data["mean"], dtype=np.float64),
        scale=np.asarray(data["scale"], dtype=np.float64),
        layers=layers,
        idf=Idf(dict(data["idf"]["table"]), float(data["idf"]["rare"])),
        policy=Policy.from_dict(data.get("policy", {})),
        meta=data.get("meta", {}),
    )
