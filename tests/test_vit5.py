"""ViT5 backends on a tiny T5 built here: transformers, CTranslate2, conversion, errors.

Everything is offline: the model and its SentencePiece tokenizer are trained from the
seed articles in a temp folder (tests/tiny_t5.py), and Hub lookups are switched off.
"""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"  # before anything imports huggingface_hub
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer import SummarizerLoadError, load_summarizer
from summarizer.extractive import ExtractiveSummarizer
from summarizer.seq2seq import MAX_INPUT_TOKENS, clean_output, model_input
from summarizer.vit5 import is_ct2_folder, load_vit5

try:  # repo root on sys.path (python -m pytest, PYTHONPATH=.)
    from tests.tiny_t5 import SEEDS, build_tiny_t5, corpus_lines
except ImportError:  # pytest's rootdir-less "prepend" import puts tests/ itself on sys.path
    from tiny_t5 import SEEDS, build_tiny_t5, corpus_lines

pytest.importorskip("torch", reason="ViT5 needs requirements-vit5.txt")
pytest.importorskip("ctranslate2", reason="ViT5 needs requirements-vit5.txt")

ROOT = Path(__file__).resolve().parent.parent
GEN = {"max_length": 24}  # short outputs keep the file fast; the rules are the same


def seed_articles() -> list[tuple[str, str]]:
    """(title, body) of the five seed articles (first line is the title)."""
    items = []
    for path in sorted(SEEDS.glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        items.append((title.strip(), body.strip()))
    return items


@pytest.fixture(scope="session")
def tiny_t5(tmp_path_factory) -> Path:
    return build_tiny_t5(tmp_path_factory.mktemp("tiny-t5"))


@pytest.fixture(scope="session")
def tiny_ct2_f32(tiny_t5, tmp_path_factory) -> Path:
    from summarizer.convert import convert_model

    return convert_model(str(tiny_t5), str(tmp_path_factory.mktemp("ct2-f32") / "m"), quantization=None)


@pytest.fixture(scope="session")
def tiny_ct2_int8(tiny_t5, tmp_path_factory) -> Path:
    from summarizer.convert import convert_model

    return convert_model(str(tiny_t5), str(tmp_path_factory.mktemp("ct2-int8") / "m"))


def test_t5_tokenizer_loads_from_a_bare_spiece_model(tiny_t5, tmp_path):
    shutil.copy(tiny_t5 / "spiece.model", tmp_path / "spiece.model")  # nothing else in the folder
    from summarizer.vit5 import load_tokenizer

    tokenizer = load_tokenizer(str(tmp_path))
    ids = tokenizer("Bộ Ngoại giao Việt Nam").input_ids
    assert ids[-1] == tokenizer.eos_token_id == 1 and tokenizer.pad_token_id == 0
    assert tokenizer.decode(ids, skip_special_tokens=True) == "Bộ Ngoại giao Việt Nam"


def test_transformers_backend_summarizes(tiny_t5):
    summarizer = load_summarizer("vit5", str(tiny_t5))
    summary = load_vit5(str(tiny_t5), **GEN).summarize(*seed_articles()[0])
    assert summarizer.name == "vit5"
    assert summary.backend == "vit5" and summary.model == str(tiny_t5) and summary.flag is None
    assert isinstance(summary.text, str) and summary.text.strip()


@pytest.mark.parametrize("max_length", [24, 6])  # 6: stops at the length limit, not at EOS
def test_ct2_greedy_tokens_equal_transformers(max_length, tiny_t5, tiny_ct2_f32):
    import torch

    hf = load_vit5(str(tiny_t5), max_length=max_length)
    ct2 = load_vit5(str(tiny_ct2_f32), max_length=max_length)
    texts = [model_input(line) for line in corpus_lines()[5:80:9]] + [model_input(b) for _, b in seed_articles()[:2]]
    enc = hf.tokenizer(texts, max_length=MAX_INPUT_TOKENS, truncation=True, padding=True, return_tensors="pt")
    with torch.inference_mode():
        hf_ids = hf.seq2seq.generate(**enc, max_length=max_length, num_beams=1, do_sample=False)
    results = ct2.translator.translate_batch([ct2.tokens(t) for t in texts], beam_size=1,
                                             max_decoding_length=max_length - 1)
    for row, result in zip(hf_ids.tolist(), results):
        expected = [i for i in row[1:] if i != hf.tokenizer.pad_token_id]  # drop the start token and padding
        got = [ct2.sp.piece_to_id(p) for p in result.hypotheses[0]]
        if expected and expected[-1] == hf.tokenizer.eos_token_id:
            expected = expected[:-1]  # ct2 leaves the end token out
        assert got == expected and got
    assert len({tuple(r.hypotheses[0]) for r in results}) > 3  # outputs depend on the input
    items = seed_articles()[:2]
    assert [s.text for s in ct2.summarize_many(items)] == [s.text for s in hf.summarize_many(items)]


def test_ct2_tokens_match_t5_tokenizer_and_truncate_at_1024(tiny_t5, tiny_ct2_f32):
    hf = load_vit5(str(tiny_t5))
    ct2 = load_vit5(str(tiny_ct2_f32))
    long_text = model_input(" ".join(body for _, body in seed_articles()) * 2)
    expected = hf.tokenizer(long_text, max_length=MAX_INPUT_TOKENS, truncation=True).input_ids
    assert len(expected) == MAX_INPUT_TOKENS
    assert [ct2.sp.piece_to_id(p) for p in ct2.tokens(long_text)] == expected


def test_int8_folder_is_detected_and_summarizes(tiny_t5, tiny_ct2_f32, tiny_ct2_int8):
    assert is_ct2_folder(tiny_ct2_int8) and not is_ct2_folder(tiny_t5)
    assert (tiny_ct2_int8 / "spiece.model").read_bytes() == (tiny_t5 / "spiece.model").read_bytes()
    assert (tiny_ct2_int8 / "model.bin").stat().st_size < (tiny_ct2_f32 / "model.bin").stat().st_size
    summaries = load_summarizer("vit5", str(tiny_ct2_int8)).summarize_many(seed_articles())
    assert [s.backend for s in summaries] == ["ct2"] * 5
    assert all(s.text.strip() and s.model == str(tiny_ct2_int8) for s in summaries)


def test_ct2_backend_runs_without_importing_torch(tiny_ct2_int8):
    code = (
        "import sys; from summarizer.vit5 import load_vit5; "
        f"s = load_vit5({str(tiny_ct2_int8)!r}, max_length=8); "
        "r = s.summarize('t', 'Bộ Ngoại giao Việt Nam tiếp Đại sứ Nhật Bản tại Hà Nội . ' * 8); "
        "print(r.backend, 'torch' in sys.modules, 'transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["ct2", "False", "False"]


@pytest.mark.parametrize("runtime", ["transformers", "ct2"])
def test_failing_article_falls_back_to_extractive(runtime, tiny_t5, tiny_ct2_int8, monkeypatch):
    summarizer = load_vit5(str(tiny_t5 if runtime == "transformers" else tiny_ct2_int8), batch_size=8, **GEN)
    real = summarizer.generate

    def generate(texts):
        if any("Sóc Trăng" in text for text in texts):
            raise RuntimeError("boom")
        return real(texts)

    monkeypatch.setattr(summarizer, "generate", generate)
    items = seed_articles()
    bad = [i for i, (_, body) in enumerate(items) if "Sóc Trăng" in body]
    assert 0 < len(bad) < len(items)
    summaries = summarizer.summarize_many(items)
    for i, summary in enumerate(summaries):
        if i in bad:
            assert (summary.backend, summary.flag) == ("extractive", "fallback")
            assert summary.text == ExtractiveSummarizer().summarize(*items[i]).text
        else:
            assert (summary.backend, summary.flag) == (summarizer.name, None)


def test_foreign_or_tiny_text_is_left_to_extractive(tiny_ct2_int8):
    summarizer = load_vit5(str(tiny_ct2_int8), **GEN)
    for title, body in [("News", "The ministers met in Hanoi on Monday to discuss trade. " * 5), ("Tin", "Hà Nội mưa.")]:
        assert summarizer.summarize(title, body) == ExtractiveSummarizer().summarize(title, body)


def test_missing_folder_is_one_clear_line():
    with pytest.raises(SummarizerLoadError) as err:
        load_summarizer("vit5", "/nonexistent")
    message = str(err.value)
    assert "DIPLOBOT_VIT5_MODEL" in message and "/nonexistent" in message and "\n" not in message


def test_folder_without_tokenizer_or_weights(tiny_t5, tiny_ct2_int8, tmp_path):
    no_tok = tmp_path / "no-tokenizer"
    shutil.copytree(tiny_t5, no_tok, ignore=shutil.ignore_patterns("spiece.model"))
    no_weights = tmp_path / "no-weights"
    shutil.copytree(tiny_t5, no_weights, ignore=shutil.ignore_patterns("*.safetensors"))
    ct2_no_tok = tmp_path / "ct2-no-tokenizer"
    shutil.copytree(tiny_ct2_int8, ct2_no_tok, ignore=shutil.ignore_patterns("spiece.model"))
    for folder, why in [(no_tok, "spiece.model"), (no_weights, "weights"), (ct2_no_tok, "spiece.model")]:
        with pytest.raises(SummarizerLoadError) as err:
            load_vit5(str(folder))
        message = str(err.value)
        assert message.startswith(f"DIPLOBOT_VIT5_MODEL={folder}:") and why in message and "\n" not in message


def test_hub_id_offline_fails_cleanly_without_network(tmp_path):
    code = (
        "import socket, sys\n"
        "def refuse(self, address): print('NETWORK', address); raise OSError('no network in tests')\n"
        "socket.socket.connect = refuse\n"
        "from summarizer import SummarizerLoadError\n"
        "from summarizer.vit5 import load_vit5\n"
        "try:\n    load_vit5('VietAI/vit5-base-vietnews-summarization')\n"
        "except SummarizerLoadError as exc:\n    print(exc); sys.exit(3)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 3, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1 and "NETWORK" not in out.stdout
    assert lines[0].startswith("DIPLOBOT_VIT5_MODEL=VietAI/vit5-base-vietnews-summarization:")


def test_convert_rejects_bad_src_and_dst(tiny_t5, tiny_ct2_int8, tmp_path):
    from summarizer.convert import ConvertError, convert_model

    no_tok = tmp_path / "no-tokenizer"
    shutil.copytree(tiny_t5, no_tok, ignore=shutil.ignore_patterns("spiece.model"))
    cases = [("/nonexistent/model", tmp_path / "a", "no such folder"), (str(no_tok), tmp_path / "b", "spiece.model"),
             (str(tiny_ct2_int8), tmp_path / "c", "already a CTranslate2"), (str(tiny_t5), tiny_ct2_int8, "not empty")]
    for src, dst, why in cases:
        with pytest.raises(ConvertError, match=why):
            convert_model(src, str(dst))
    assert json.loads((tiny_ct2_int8 / "config.json").read_text())["decoder_start_token"] == "<pad>"


def test_vietnews_spacing_round_trip():
    body = 'Chiều 5/8, Bộ Ngoại giao (MOFA) tiếp "đoàn" 1.000 khách.\nÔng nói: “Rất tốt!”'
    spaced = model_input(body)
    assert spaced == 'Chiều 5/8 , Bộ Ngoại giao ( MOFA ) tiếp " đoàn " 1.000 khách . Ông nói : “ Rất tốt ! ”'
    assert clean_output(spaced) == 'Chiều 5/8, Bộ Ngoại giao (MOFA) tiếp "đoàn" 1.000 khách. Ông nói: “Rất tốt!”'


def test_cli_converts_then_ingests_with_ct2(tiny_t5, tmp_path):
    """`diplobot convert-model`, then the bot's own ingest on the converted folder."""
    import os
    import subprocess
    import sys

    dst = tmp_path / "ct2"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "DIPLOBOT_DB": str(tmp_path / "d.db")}
    cli = [sys.executable, "-m", "diplobot.cli"]
    done = subprocess.run([*cli, "convert-model", str(tiny_t5), str(dst)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    env.update(DIPLOBOT_SUMMARIZER="vit5", DIPLOBOT_VIT5_MODEL=str(dst))
    ingest = subprocess.run([*cli, "ingest", "--no-progress", str(ROOT / "seeds")], capture_output=True, text=True, env=env)
    assert ingest.returncode == 0, ingest.stderr
    assert "5 new" in ingest.stdout
    import sqlite3

    backends = dict(sqlite3.connect(tmp_path / "d.db").execute("select backend, count(*) from summaries group by 1"))
    assert sum(backends.values()) == 5 and set(backends) <= {"ct2", "extractive"}
    assert backends.get("ct2", 0) >= 1
    redo = subprocess.run([*cli, "resummarize", "--backend", "extractive", "--no-progress"], capture_output=True,
                          text=True, env=env)
    assert redo.returncode == 0 and "by extractive" in redo.stdout, redo.stderr
