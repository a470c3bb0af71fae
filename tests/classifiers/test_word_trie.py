"""The trie pattern matches what an alternation of the same words, longest first, matches."""

from __future__ import annotations

import re

from classifiers.word_trie import any_of

WORDS = ["東京都", "東京都知事", "経済産業省", "経済産業大臣", "経産省", "府", "a.b", ""]


def alternation(words: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(filter(None, words), key=len, reverse=True))))


def test_the_longest_word_at_a_position_wins_as_in_a_sorted_alternation():
    text = "東京都知事は経済産業大臣と会い、経済産業省と経産省、京都府とa.bとaxbを訪ねた。東京都"
    trie = re.compile(any_of(WORDS))
    assert trie.findall(text) == alternation(WORDS).findall(text)
    assert trie.findall(text)[:2] == ["東京都知事", "経済産業大臣"]
    assert "axb" not in trie.findall(text)


def test_no_words_is_an_empty_pattern():
    assert any_of([]) == ""
    assert any_of([""]) == ""
