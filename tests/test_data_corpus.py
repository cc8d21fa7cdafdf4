"""The offline character corpus and its vocabulary."""

import numpy as np
import pytest

from course_rnn.data.corpus import DEFAULT_MODULES, CharVocab, stdlib_dir, stdlib_text


def test_stdlib_text_joins_the_named_files_in_order():
    text = stdlib_text(["textwrap", "string"])
    first = (stdlib_dir() / "textwrap.py").read_text(encoding="utf-8")
    second = (stdlib_dir() / "string.py").read_text(encoding="utf-8")
    assert text == first + "\n\n" + second + "\n\n"


def test_default_corpus_is_ascii_and_a_few_hundred_kb_at_most():
    text = stdlib_text()
    assert 50_000 < len(text) < 400_000
    assert text.isascii()
    assert 60 < len(CharVocab.from_text(text)) < 110
    assert len(DEFAULT_MODULES) == len(set(DEFAULT_MODULES))


def test_max_chars_cuts_and_a_single_name_is_one_module():
    assert stdlib_text("keyword", max_chars=100) == stdlib_text(["keyword"])[:100]
    assert len(stdlib_text(max_chars=1234)) == 1234


@pytest.mark.parametrize("modules", [["no_such_module_xyz"], ["json"]])
def test_missing_or_package_module_is_named(modules):
    with pytest.raises(FileNotFoundError, match=modules[0]):
        stdlib_text(modules)


@pytest.mark.parametrize("bad", [0, -5, 2.5])
def test_bad_max_chars(bad):
    with pytest.raises(ValueError, match="max_chars"):
        stdlib_text(max_chars=bad)


def test_no_modules():
    with pytest.raises(ValueError, match="at least one"):
        stdlib_text([])


def test_vocab_round_trip_ids_are_int64_and_sorted():
    vocab = CharVocab.from_text("hello world")
    assert vocab.chars == tuple(sorted(set("hello world")))
    ids = vocab.encode("low")
    assert ids.dtype == np.int64 and ids.shape == (3,)
    assert ids.tolist() == [vocab.chars.index(c) for c in "low"]
    assert vocab.decode(ids) == "low"
    assert vocab.decode(np.array([[ids[0]], [ids[1]]])) == "lo"  # any shape, C order
    assert vocab.decode(np.array([], dtype=np.int64)) == ""
    assert len(vocab) == 8 and "h" in vocab and "z" not in vocab


def test_unknown_character_names_it_and_its_position():
    vocab = CharVocab.from_text("abc")
    with pytest.raises(KeyError, match=r"'z' at position 2"):
        vocab.encode("abzc")


def test_decode_rejects_out_of_range_and_float_ids():
    vocab = CharVocab.from_text("abc")
    with pytest.raises(IndexError, match=r"\[0, 2\].*found 3"):
        vocab.decode([0, 3])
    with pytest.raises(TypeError, match="integer"):
        vocab.decode(np.array([0.0, 1.0]))


@pytest.mark.parametrize("chars", [[], ["a", "a"], ["ab"]])
def test_bad_vocabularies(chars):
    with pytest.raises(ValueError, match="chars"):
        CharVocab(chars)


def test_from_text_needs_text_and_encode_needs_str():
    with pytest.raises(ValueError, match="non-empty"):
        CharVocab.from_text("")
    with pytest.raises(TypeError, match="str"):
        CharVocab.from_text("ab").encode(["a"])
