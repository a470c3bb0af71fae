"""HTML rendering: Jinja2 with autoescaping everywhere.

Article titles, bodies, outlets and evidence come from crawled pages, so they
are hostile input. They are only ever escaped text; highlighting builds its
markup from escaped pieces, and links are emitted only for http(s) URLs.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from markupsafe import Markup, escape

from classifiers.stage_names import DIRECTIONS, STAGES
from review import csrf, messages
from review.auth import Viewer
from review.filters import with_choice
from storage.catalog_search import LIMIT


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def dom_id(article_id: str, pledge_id: str) -> str:
    """A stable element id for an (article, pledge) item, safe in CSS selectors."""
    return "i-" + hashlib.sha1(f"{article_id}|{pledge_id}".encode()).hexdigest()[:12]


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s); anything else (javascript:, data:) gets no link."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def highlight(text: str | None, terms: Iterable[Any] | None) -> Markup:
    """`text` escaped, with each occurrence of a matched term wrapped in <mark>.
    Matching folds width and case (NFKC) per character, so a term found by the
    classifier in normalised text is still marked in the original. A mark
    grows to the run of kanji, katakana or latin letters it sits in and touching
    marks join: terms are lemmas, pieces of words (都 of 東京都, 市立 / 小 /
    中学校), and a moderator reads words."""
    if not text:
        return Markup("")
    words = sorted({_fold(t) for t in terms or () if isinstance(t, str) and _fold(t).strip()}, key=len, reverse=True)
    if not words:
        return escape(text)
    folded, origin = [], []
    for index, char in enumerate(text):
        for piece in _fold(char):
            folded.append(piece)
            origin.append(index)
    pattern = re.compile("|".join(re.escape(w) for w in words))
    spans: list[list[int]] = []
    for match in pattern.finditer("".join(folded)):
        start, end = _word_around(text, origin[match.start()], origin[match.end() - 1] + 1)
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    out, position = [], 0
    for start, end in spans:
        out.append(escape(text[position:start]))
        out.append(Markup("<mark>%s</mark>") % text[start:end])
        position = end
    out.append(escape(text[position:]))
    return Markup("").join(out)


def _script(char: str) -> str | None:
    """The runs a word is made of; hiragana (particles, endings) ends a word."""
    if char in "々〆ヶ" or "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf":
        return "kanji"
    if "\u30a0" <= char <= "\u30ff" or "\uff66" <= char <= "\uff9f":
        return "katakana"
    if (char.isascii() and char.isalnum()) or "\uff10" <= char <= "\uff5a":
        return "latin"
    return None


def _word_around(text: str, start: int, end: int) -> tuple[int, int]:
    first, last = _script(text[start]), _script(text[end - 1])
    while first and start > 0 and _script(text[start - 1]) == first:
        start -= 1
    while last and end < len(text) and _script(text[end]) == last:
        end += 1
    return start, end


def _fold(value: str) -> str:
    return unicodedata.normalize("NFKC", value).lower()


def jst(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return moment.strftime(fmt) if moment else "日時不明"


def evidence_sentences(evidence: Mapping[str, Any], lead: str | None = None) -> list[str]:
    """The evidence sentence(s), whichever shape the classifier used, less those
    the lead shown just above already says: repeating it only takes room."""
    shown = _fold(lead or "").replace(" ", "")
    found: list[str] = []
    for key in ("sentence", "sentences", "snippet", "snippets"):
        value = evidence.get(key)
        values = value if isinstance(value, list) else [value]
        found.extend(v for v in values if isinstance(v, str) and v.strip()
                     and _fold(v).replace(" ", "").strip() not in shown)
    return found[:3]


def evidence_terms(evidence: Mapping[str, Any]) -> list[str]:
    terms = evidence.get("terms") or evidence.get("matched_terms") or []
    return [t for t in terms if isinstance(t, str)][:20] if isinstance(terms, list) else []


def evidence_mention(evidence: Mapping[str, Any]) -> str | None:
    """How the article names the politician (石破首相, 野田代表), when the classifier says."""
    politician = evidence.get("politician")
    mention = politician.get("mention") if isinstance(politician, Mapping) else None
    return mention if isinstance(mention, str) and mention.strip() else None


def evidence_stage(evidence: Mapping[str, Any]) -> dict[str, Any]:
    """The scorer's stage suggestion (classifiers.stages.StageSuggestion.as_evidence),
    or empty values when the candidate was scored before stages existed."""
    value = evidence.get("stage")
    stage = value if isinstance(value, Mapping) else {}
    confidence = stage.get("stage_confidence")
    return {
        "stage": stage.get("stage") if stage.get("stage") in STAGES else None,
        "direction": stage.get("direction") if stage.get("direction") in DIRECTIONS else None,
        "stage_confidence": float(confidence) if isinstance(confidence, int | float) else 0.0,
        "cue": stage.get("cue") if isinstance(stage.get("cue"), str) else "",
    }


# The key for each direction in the queue (the digits 1-6 choose the stage).
DIRECTION_KEYS = (("前進", "+"), ("後退", "-"), ("停滞", "="))

_env = Environment(
    loader=PackageLoader("review", "templates"), autoescape=True, undefined=StrictUndefined,
    trim_blocks=True, lstrip_blocks=True,
)
@pass_context
def en(context: Any, text: str) -> Markup:
    """An English gloss beside a Japanese label, shown only when the app runs
    with English on (ReviewConfig.english, $PLEDGEWATCH_REVIEW_ENGLISH=1)."""
    return Markup(' <small lang="en">{}</small>').format(text) if context.get("english") else Markup("")


@pass_context
def en_text(context: Any, text: str) -> str:
    """The same for attribute values and <option> text, where markup cannot go."""
    return f" ({text})" if context.get("english") else ""


_env.filters.update(jst=jst, highlight=highlight, safe_url=safe_url,
                    action_label=messages.label)
_env.globals.update(dom_id=dom_id, evidence_sentences=evidence_sentences, evidence_terms=evidence_terms,
                    evidence_mention=evidence_mention, evidence_stage=evidence_stage, STAGES=STAGES,
                    DIRECTION_KEYS=DIRECTION_KEYS, en=en, en_text=en_text,
                    conflict_text=messages.conflict,
                    ACTION_LABELS=messages.ACTION_LABELS, with_choice=with_choice, LIMIT=LIMIT)
HTMX_CONFIG = json.dumps({
    "includeIndicatorStyles": False, "allowEval": False, "allowScriptTags": False, "selfRequestsOnly": True,
    "historyCacheSize": 0, "responseHandling": [{"code": "204", "swap": False}, {"code": ".*", "swap": True}],
})
_env.globals["HTMX_CONFIG"] = HTMX_CONFIG


def render(request: Request, template: str, *, viewer: Viewer | None = None, status: int = 200,
           headers: Mapping[str, str] | None = None, **context: Any) -> HTMLResponse:
    token = csrf.session_token(request.app.state.config.secret, viewer.token) if viewer else None
    html = _env.get_template(template).render(viewer=viewer, csrf=token, htmx=is_htmx(request),
                                              english=request.app.state.config.english, **context)
    response = HTMLResponse(html, status_code=status, headers=dict(headers or {}))
    response.headers["Cache-Control"] = "no-store"
    return response
