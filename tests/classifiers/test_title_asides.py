"""A title's parenthesised asides (when and where it was promised, 要約, a
second name for the same thing) weigh less than what the title promises:
otherwise a long annotation dilutes the coverage of a report that matches
the promise itself, and its election words match election news."""

from dataclasses import replace

from classifiers.pledge_index import build_index, title_parts


def weight_of(index, row, term):
    column = index.vocabulary[term]
    return index.core[row, column]


def test_asides_are_split_from_the_main_text():
    main, asides = title_parts("食料品の消費税率をゼロにする（2025年参院選公約、要約）")
    assert main == "食料品の消費税率をゼロにする"
    assert asides == ("2025年参院選公約、要約",)
    assert title_parts("「副首都」をつくる(副首都構想)") == ("「副首都」をつくる", ("副首都構想",))
    assert title_parts("消費税を廃止する") == ("消費税を廃止する", ())


def test_an_aside_term_weighs_less_than_a_main_term(catalog, tokenizer):
    pledge = replace(catalog.pledges[0], title="食料品の消費税率をゼロにする（2025年参院選公約、要約）")
    small = replace(catalog, pledges=(pledge,))
    index = build_index(small, tokenizer)
    assert 0 < weight_of(index, 0, "公約") < weight_of(index, 0, "食料")


def test_an_aside_repeating_the_main_text_adds_nothing(catalog, tokenizer):
    plain = replace(catalog.pledges[0], title="副首都をつくる")
    repeated = replace(plain, title="副首都をつくる（副首都）")
    indexes = [build_index(replace(catalog, pledges=(p,)), tokenizer) for p in (plain, repeated)]
    weights = [index.core.toarray().tolist() for index in indexes]
    assert weights[0] == weights[1]


def test_a_nested_aside_comes_out_whole():
    main, asides = title_parts("風力発電事業の白紙撤回を求める（「(仮称)みちのく風力」、要約）")
    assert main == "風力発電事業の白紙撤回を求める"
    assert asides == ("仮称", "「みちのく風力」、要約")
