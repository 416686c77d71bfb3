"""A tiny ViT5-shaped model built offline in a second: the fixture for test_vit5.

SentencePiece is trained on the seed articles with T5's special ids (pad 0, eos 1,
unk 2, no bos) and saved as a bare `spiece.model`, the shape of VietAI's folder.
The T5 has the base model's layout (v1.0: ReLU, tied embeddings) at toy size, seeded
random weights, then ~5 s of training to copy each line's first words: a purely random
T5 answers EOS at once or one token on repeat, which would make "CTranslate2 gives the
same tokens as transformers" a weak check. Plumbing and equivalence, not quality.
"""

from __future__ import annotations

from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EXTRA_LINES = [
    "Bộ trưởng Bộ Ngoại giao tiếp Đại sứ Nhật Bản , Hàn Quốc , Hoa Kỳ và Lào tại Hà Nội .",
    "Thủ tướng Chính phủ hội đàm với Tổng thống Pháp về hợp tác kinh tế , thương mại , đầu tư .",
    "Việt Nam và Ô-xtrây-li-a ký kết bản ghi nhớ hợp tác giáo dục ngày 14-5-2023 .",
    "Hội nghị ASEAN lần thứ 42 diễn ra tại Gia-các-ta , In-đô-nê-xi-a .",
]


def corpus_lines() -> list[str]:
    """Seed article lines plus a few vietnews-style lines (spaced punctuation)."""
    lines = [line.strip() for f in sorted(SEEDS.glob("*.txt")) for line in f.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line] + EXTRA_LINES


def train_spiece(folder: Path, vocab_size: int = 600) -> Path:
    """A unigram SentencePiece model with T5's special ids, written as folder/spiece.model."""
    import sentencepiece as spm

    folder.mkdir(parents=True, exist_ok=True)
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus_lines()), model_prefix=str(folder / "spiece"), vocab_size=vocab_size,
        model_type="unigram", pad_id=0, eos_id=1, unk_id=2, bos_id=-1, character_coverage=1.0,
        hard_vocab_limit=False, num_threads=1, minloglevel=2,
    )
    (folder / "spiece.vocab").unlink()
    return folder / "spiece.model"


def build_tiny_t5(folder: Path, seed: int = 0, train_steps: int = 120) -> Path:
    """spiece.model + config.json + model.safetensors of a 2+2-layer T5 in `folder`.

    The embedding covers the tokenizer's 100 `<extra_id_N>` tokens as T5's does
    (CTranslate2 refuses a vocabulary larger than the embedding).
    """
    import torch
    from transformers import T5Config, T5ForConditionalGeneration, T5Tokenizer

    train_spiece(folder)
    tokenizer = T5Tokenizer.from_pretrained(str(folder), legacy=True)
    config = T5Config(
        d_model=32, d_ff=64, num_layers=2, num_decoder_layers=2, num_heads=2, d_kv=16,
        vocab_size=len(tokenizer), decoder_start_token_id=0, pad_token_id=0, eos_token_id=1,
        feed_forward_proj="relu", tie_word_embeddings=True,
    )
    torch.manual_seed(seed)
    model = T5ForConditionalGeneration(config)
    copy_lead(model, tokenizer, corpus_lines(), train_steps, seed)
    model.save_pretrained(str(folder))
    return folder


def copy_lead(model, tokenizer, lines: list[str], steps: int, seed: int) -> None:
    """A few AdamW steps teaching `model` to answer a line with its first 10 words."""
    import random

    import torch

    rng = random.Random(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # toy-sized ops: a second thread only adds contention (4x slower)
    model.train()
    for _ in range(steps):
        batch = rng.sample(lines, 16)
        enc = tokenizer(batch, return_tensors="pt", padding=True, truncation=True, max_length=64)
        labels = tokenizer([" ".join(line.split()[:10]) for line in batch], return_tensors="pt", padding=True).input_ids
        labels[labels == tokenizer.pad_token_id] = -100
        model(**enc, labels=labels).loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    model.eval()
    torch.set_num_threads(threads)
