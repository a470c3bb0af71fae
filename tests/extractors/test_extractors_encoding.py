import codecs

import pytest

from extractors.encoding import decode_document

TEXT = "日本語のニュース記事です。ひらがなとカタカナ、漢字を含みます。①㈱"


@pytest.mark.parametrize("codec", ["utf-8", "cp932", "euc_jis_2004"])
def test_detects_undeclared_japanese(codec):
    text, used = decode_document(TEXT.encode(codec))
    assert text == TEXT
    assert codecs.lookup(used).name == codecs.lookup(codec).name


def test_detects_iso2022jp_even_when_header_says_utf8():
    plain = TEXT[:-2]
    text, used = decode_document(plain.encode("iso2022_jp"), "text/html; charset=utf-8")
    assert text == plain
    assert used.startswith("iso2022_jp")


def test_header_charset_is_used():
    data = TEXT.encode("cp932")
    assert decode_document(data, 'text/html; charset="Shift_JIS"') == (TEXT, "cp932")


def test_meta_charset_and_http_equiv():
    plain = TEXT[:-2]
    body = plain.encode("euc_jp")
    for head in (
        b'<meta charset="EUC-JP">',
        b'<meta http-equiv="Content-Type" content="text/html; charset=euc-jp">',
    ):
        text, used = decode_document(head + body)
        assert text.endswith(plain)
        assert "euc" in used


def test_xml_declaration():
    data = b'<?xml version="1.0" encoding="Shift_JIS"?><a>' + TEXT.encode("cp932") + b"</a>"
    text, used = decode_document(data)
    assert TEXT in text and used == "cp932"


def test_bom_wins():
    text, used = decode_document(codecs.BOM_UTF8 + TEXT.encode("utf-8"), "text/html; charset=cp932")
    assert text == TEXT and used == "utf-8"


@pytest.mark.parametrize("declared", ["utf-8", "shift_jis", "euc-jp", "iso-8859-1"])
def test_wrong_declaration_falls_back_to_detection(declared):
    for codec in ("utf-8", "cp932", "euc_jis_2004"):
        data = TEXT.encode(codec)
        text, _ = decode_document(data, f"text/html; charset={declared}")
        assert text == TEXT, (declared, codec)


def test_unknown_label_is_ignored():
    assert decode_document(TEXT.encode("cp932"), "text/html; charset=x-made-up")[0] == TEXT


def test_latin1_page_stays_latin1():
    assert decode_document("café".encode("latin-1"), "text/html; charset=iso-8859-1")[0] == "café"


@pytest.mark.parametrize("codec", ["utf-8", "cp932", "euc_jis_2004"])
def test_broken_bytes_keep_the_right_codec(codec):
    plain = TEXT[:-2]
    data = plain.encode(codec)
    damaged = data[:20] + b"\xff\x80" + data[20:]
    text, _ = decode_document(damaged)
    assert plain[:6] in text and plain[-8:] in text
