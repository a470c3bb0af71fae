"""How far along the policy process an activity is (stage) and which way it
moved (direction), suggested from the passage a candidate link rests on.

Definitions and borderline rules are in docs/stage-codebook.md. The signal is
mostly in a small set of general policy-process phrases (閣議決定, 可決、成立,
見送り …), so the lexicon below is written from the language of the process,
never from one pledge or politician; a logistic regression learns how much
each cue counts and how cues combine (閣議決定 of a 法案 is 予算・法案, of a
基本計画 is 決定), with character n-grams for wording the lexicon lacks.

The lexicon is applied in Python and its matches are handed to scikit-learn
as marker words, so the fitted estimators are plain sklearn objects that skops
stores and loads with the same trusted-type check as the link model.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import skops.io as sio
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline

from classifiers.model_store import schema_types
from classifiers.stage_names import DIRECTIONS, FORWARD, REGRESS, STAGES, STALLED
from classifiers.tokenize import AnalyzedDocument, split_sentences

# Every type a stage model file holds, by exact name (as classifiers.model_store
# TRUSTED_TYPES): a prefix such as "builtins." would let `builtins.exec` through.
TRUSTED_TYPES = (
    "builtins.dict",
    "builtins.list",
    "builtins.slice",
    "builtins.str",
    "builtins.tuple",
    "numpy.float64",
    "numpy.int64",
    "numpy.ndarray",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.compose._column_transformer.ColumnTransformer",
    "sklearn.feature_extraction.text.CountVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.model_selection._split.StratifiedKFold",
    "sklearn.pipeline.Pipeline",
)


@dataclass(frozen=True)
class Cue:
    name: str
    pattern: re.Pattern[str]
    kind: str | None  # a stage, 後退 / 停滞, or None for a cue whose meaning depends on context


def _cue(name: str, pattern: str, kind: str | None) -> Cue:
    return Cue(name, re.compile(pattern), kind)


# General Japanese policy-process phrases. Several are ambiguous on purpose
# (発表, 盛り込, 会談): the model weighs them from their company.
LEXICON: tuple[Cue, ...] = (
    # 表明: said, promised, demanded, instructed
    _cue("表明", r"表明", "表明"),
    _cue("明言", r"明言|断言", "表明"),
    _cue("述べる", r"述べ|語っ|語る|話し|答弁", "表明"),
    _cue("訴える", r"訴え|強調|呼びかけ|呼び掛け", "表明"),
    _cue("考えを示す", r"考えを示|意向|意欲(?!ある|的)|姿勢を(?:示|見せ)", "表明"),  # not 意欲ある学生
    _cue("公約", r"公約|マニフェスト|重点政策|掲げ", "表明"),
    _cue("指示", r"指示", "表明"),
    _cue("求める", r"求め|迫っ|迫る|要望|要請|打診", "表明"),
    _cue("目指す", r"目指", "表明"),
    _cue("演説", r"演説|所信|施政方針|メッセージ", "表明"),
    _cue("発表", r"発表", None),
    _cue("明らかに", r"明らかに|わかった|分かった|判明", None),
    # 検討: studied, negotiated, drafted
    _cue("検討", r"検討", "検討"),
    _cue("会議体", r"有識者会議|審議会|懇談会|検討会|協議体|協議会|作業部会|プロジェクトチーム|準備室", "検討"),
    _cue("閣僚会議", r"国民会議|閣僚会議|政労使会議", "検討"),
    _cue("協議", r"協議|交渉|実務者", "検討"),
    # not 国会議員, a chamber's 本会議 or 議会議長
    _cue("会合", r"初会合|会合|(?<![国本議])会議(?![員事所長])", "検討"),
    _cue("議論", r"議論|論議", "検討"),
    _cue("草案", r"骨子|素案|たたき台|要綱|概要案|骨格", "検討"),
    _cue("調整", r"調整|方向で|準備", "検討"),
    _cue("検証", r"検証|精査", "検討"),
    # work on the matter begins: 議論を始めた is study, not a programme starting
    _cue("議論を始める", r"(?:議論|検討|協議|交渉|作業|見直し|制度設計)(?:を|に|が)?"
         r"(?:始め|開始|始ま|入っ|入る|入り|着手)", "検討"),
    # 決定: decided by the body that can
    _cue("閣議決定", r"閣議決定", "決定"),
    _cue("決定", r"決定|決め|(?<!採)決ま|決着", "決定"),  # not 採決まで
    _cue("方針を固める", r"方針を(?:固め|決|明らかに|確認|打ち出)|方針が(?:わかった|分かった|決ま)", "決定"),
    # a start announced, not yet made (「始めると発表した」, 「開催を予定」)
    _cue("行うと発表", r"(?:開始|始め|実施|導入|開催|着工|支給|拡大|広げ|設け|行う|行い|整備|設置|創設|新設)"
         r"(?:する|すると|することが|る|ると|を予定|する予定|予定|する計画)", "決定"),
    _cue("合意", r"合意|(?<!全会)一致|折り合", "決定"),  # 全会一致 is a vote
    _cue("了承", r"了承|承認", "決定"),
    _cue("まとめる", r"取りまとめ|とりまとめ|取り纏め|まとめ", "決定"),
    _cue("基本方針", r"基本方針|基本計画|基本構想|対応策|経済対策|戦略", "決定"),
    _cue("署名", r"署名|合意書|合意文書", "決定"),
    # 予算・法案: money or law text in the legislative pipeline
    _cue("法案", r"法案|改正案|条例案|法律案|修正案", "予算・法案"),
    # questions in the budget committee are not the budget (予算委員会)
    _cue("予算案", r"予算案|補正予算|当初予算|予算(?!委)", "予算・法案"),
    _cue("提出", r"提出", "予算・法案"),
    _cue("計上", r"計上", "予算・法案"),
    _cue("盛り込む", r"盛り込|盛込|明記", None),
    _cue("審議", r"審議入り|審議|採決|(?<!予算|決算)委員会", "予算・法案"),
    _cue("議会", r"国会|議会", None),
    _cue("法案を決定", r"(?:法案|改正案|条例案|予算案|予算)[^。、]{0,25}(?:閣議決定|決定|了承)", "予算・法案"),
    _cue("委員会で可決", r"委員会[^。]{0,40}可決", "予算・法案"),
    # the bill is still in the legislature when its passage is given up or aimed at
    _cue("成立を見送る", r"成立を(?:見送|断念|目指|図|期す)|成立(?:が|は)?(?:難し|困難|見通せ|確実)"
         r"|成立(?:する|の)見通し|成立に(?:至らな|向け)|成立見送", "予算・法案"),
    _cue("提出する方針", r"提出する(?:方針|考え|意向)|提出すると(?:明らかに|表明|発表)|提出へ", "決定"),
    _cue("法案の草案", r"法案(?:の)?(?:要綱|骨子|たたき台|概要|骨格)", "検討"),
    _cue("草案をまとめる", r"(?:骨子|素案|たたき台|要綱|概要案|骨格)(?:を|が)?"
         r"(?:まとめ|取りまとめ|とりまとめ|まとま|示|公表|固め|明らかに)", "検討"),
    # 成立: the legislature's final yes
    _cue("成立", r"成立", "成立"),
    _cue("可決、成立", r"可決[、・,，]?\s*成立", "成立"),
    _cue("可決", r"可決", "成立"),
    _cue("制定された", r"制定され|公布", "成立"),
    # 実施: in force, carried out
    _cue("開始", r"開始|始ま|始め|スタート|始動", "実施"),
    _cue("開業", r"オープン|開業|開園|開幕|開会式|開館|閉幕", "実施"),
    _cue("発足", r"(?<!内閣)(?<!政権)発足|創設した|新設した", "実施"),  # not a cabinet taking office
    _cue("施行", r"施行", "実施"),
    _cue("実施", r"実施", "実施"),
    _cue("支給", r"支給|給付|配布|交付|減税され", "実施"),
    _cue("運用", r"運用|稼働|供用", "実施"),
    _cue("導入", r"導入", None),
    _cue("整備", r"完成|着工|整備|建設|工事", "実施"),
    _cue("申請", r"申請|利用|来場", "実施"),
    _cue("首脳会談", r"首脳会談|電話会談|(?:大統領|首相|首脳|国家主席)と(?:初めて)?会談", "実施"),
    _cue("会談", r"会談", None),
    _cue("実証", r"実証|試行|視察", "実施"),
    # 後退: delay, shrinking, withdrawal, rejection, failure
    _cue("見送り", r"見送", "後退"),
    _cue("先送り", r"先送", "後退"),
    _cue("延期", r"延期|後ろ倒し|ずれ込|遅れ|間に合わな|持ち越", "後退"),
    _cue("断念", r"断念|諦め|あきらめ", "後退"),
    _cue("撤回", r"撤回|取り下げ|白紙", "後退"),
    _cue("廃案", r"廃案|審議未了|継続審議", "後退"),
    _cue("否決", r"否決", "後退"),
    _cue("縮小", r"縮小|減額|据え置|削っ|圧縮", "後退"),
    _cue("反故", r"反故|ほご", "後退"),
    _cue("言及せず", r"言及(?:し(?:ない|なかった|ませんでした)|せず)|触れ(?:ない|なかった|ず)", "後退"),
    _cue("行わない", r"(?:行わ|行われ|実施し|提出し|開か)(?:ない|ず)", "後退"),
    _cue("後退", r"後退|トーンダウン|封印|反発", "後退"),
    _cue("困難", r"難しく|困難|難航|一朝一夕|慎重", "後退"),
    _cue("踏み込まず", r"踏み込(?:まな|みませんでし|まず)", "後退"),
    # 停滞: nothing moved
    _cue("合意に至らず", r"至らな|至らず|折り合わ|隔たり|平行線", "停滞"),
    _cue("結論出ず", r"結論(?:は|が)?出て(?:い)?な|結論は出ていない", "停滞"),
    _cue("見通し立たず", r"見通しは立っていない|見通せない|めどが立たな", "停滞"),
    _cue("停滞", r"停滞|膠着|進んでいない|進まない|足踏み", "停滞"),
)

# Matches somewhere exactly when some cue does: one scan rules out most
# sentences of general news, which hold no cue at all.
_ANY_CUE = re.compile("|".join(f"(?:{cue.pattern.pattern})" for cue in LEXICON))
_TURNS = ("後退", "停滞")
# 〜てきた / 〜ていた after a cue: what someone had been doing (「見直しを訴えてきた知事」),
# the background of the news, not its act; such a cue keeps its name, not its kind.
_BACKGROUND = re.compile(r"[ぁ-ゖ]{0,2}?[てで](?:き(?:た|ました)|いた|いました)")
# Auxiliaries after a cue belong to the phrase a moderator reads (閣議決定した).
_TAIL = re.compile(r"[ぁ-ゖ]{0,6}")
_JOIN_GAP = 16
# A cue this close to its sentence's end is the sentence's predicate (閣議決定した。).
_PREDICATE_TAIL = 8


@dataclass(frozen=True)
class Match:
    cue: Cue
    start: int
    end: int
    sentence: int


@dataclass(frozen=True)
class StageSuggestion:
    """One suggestion; the confidences are calibrated probabilities, so a
    review queue can sort by them and a moderator can trust 0.9 more than 0.5."""

    stage: str
    stage_confidence: float
    direction: str
    direction_confidence: float
    cue: str
    stage_probabilities: dict[str, float] = field(default_factory=dict)

    def as_evidence(self, model: str) -> dict[str, object]:
        """The shape stored in a candidate's evidence (key "stage") and shown
        to moderators; `model` names the stage model version or "lexicon"."""
        return {"stage": self.stage, "stage_confidence": self.stage_confidence, "direction": self.direction,
                "direction_confidence": self.direction_confidence, "cue": self.cue, "model": model}


LEXICON_CONFIDENCE = 0.34


def suggest_by_lexicon(text: str) -> StageSuggestion:
    """Without a trained model: the last stage cue of the passage (the
    predicate of its last sentence with one; 表明 when there is none), and
    後退 or 停滞 when such a cue occurs. The confidence is a fixed low figure
    (about what the model gets right on its least certain third), so these
    suggestions sort after a model's."""
    matches = find_cues(text)
    staged = [m.cue.kind for m in matches if m.cue.kind in STAGES]
    kinds = {m.cue.kind for m in matches}
    direction = REGRESS if REGRESS in kinds else STALLED if STALLED in kinds else FORWARD
    stage = staged[-1] if staged else STAGES[0]
    return StageSuggestion(stage, LEXICON_CONFIDENCE, direction, LEXICON_CONFIDENCE, cue_phrase(text, stage, direction))


_OPEN, _CLOSE = "「『“", "」』”"


def find_cues(text: str) -> list[Match]:
    """Lexicon matches in text order, with the sentence each falls in. A match
    inside a longer stage cue gives way to it (法案 inside 「法案を閣議決定」;
    a setback cue never does, 見送 in 「成立を見送る」 stays), and a
    cue inside quotation marks keeps its name but loses its kind: a quoted
    「検討」 or a speech is not the act being reported."""
    matches: list[Match] = []
    offset = 0
    for number, sentence in enumerate(split_sentences(text)):
        start = text.find(sentence, offset)
        start = offset if start < 0 else start
        matches.extend(Match(cue, start + a, start + b, number) for cue, a, b in _sentence_cues(sentence))
        offset = start + len(sentence)
    matches.sort(key=lambda m: (m.start, -m.end))
    return matches


@lru_cache(maxsize=4096)
def _sentence_cues(sentence: str) -> tuple[tuple[Cue, int, int], ...]:
    """One sentence's cues (see `find_cues`), with offsets in the sentence.
    Cached: the passages of one article's candidates share its title and lead,
    and each passage is read twice (stage, then the cue phrase)."""
    if _ANY_CUE.search(sentence) is None:
        return ()
    found = [(cue, m.start(), m.end()) for cue in LEXICON for m in cue.pattern.finditer(sentence)]
    found.sort(key=lambda f: (f[1], -f[2]))
    quoted = _quoted(sentence)
    kept = []
    for cue, a, b in found:
        if cue.kind not in _TURNS and any(
            other.kind in STAGES and c <= a and b <= d and (d - c) > (b - a) for other, c, d in found
        ):
            continue
        if quoted[a] and cue.kind is not None:
            cue = Cue(f"「{cue.name}」", cue.pattern, None)
        elif cue.kind in STAGES and _BACKGROUND.match(sentence, b):
            cue = Cue(f"~{cue.name}", cue.pattern, None)
        kept.append((cue, a, b))
    return tuple(kept)


def _sentence_ends(text: str) -> list[int]:
    """End offset of each sentence, in the numbering `find_cues` uses."""
    ends, offset = [], 0
    for sentence in split_sentences(text):
        start = text.find(sentence, offset)
        start = offset if start < 0 else start
        offset = start + len(sentence)
        ends.append(offset)
    return ends


def _quoted(sentence: str) -> list[bool]:
    """Per character: inside a quotation that is reported speech or a quoted
    word (closed by 「…」と / 「…」との / 「…」って); a bracketed name
    (「…条例案」を, 「国家情報会議」の) is not speech and keeps its cues."""
    out = [False] * len(sentence)
    stack: list[int] = []
    for i, char in enumerate(sentence):
        if char in _OPEN:
            stack.append(i)
        elif char in _CLOSE and stack:
            start = stack.pop()
            if sentence[i + 1 : i + 2] in ("と", "っ") or i + 1 == len(sentence):
                out[start : i + 1] = [True] * (i + 1 - start)
    for start in stack:  # a quote left open runs to the end of the sentence
        out[start:] = [True] * (len(sentence) - start)
    return out


def cue_markers(text: str) -> str:
    """The lexicon's view of a passage as marker words for CountVectorizer:
    which cues occur, how many of each kind, and the kind of the last stage
    cue of each sentence (a Japanese sentence's main predicate comes last, so
    「法案を提出する方針を固めた」 ends on a decision, not on the bill), of the
    first sentence (the title or the lead, where news states the act) and of
    the passage; by name as well as by kind for the predicates and the first
    sentence (提出する方針 and 閣議決定 are both 決定 cues, but weigh
    differently), and the kinds of sentence 0 and 1 as such (the title and the
    lead when the passage has both)."""
    matches = find_cues(text)
    words = [f"K:{m.cue.name}" for m in matches]
    kinds = Counter(m.cue.kind for m in matches if m.cue.kind)
    words += [f"N:{kind}" for kind, count in kinds.items() for _ in range(min(count, 3))]
    last: dict[int, Match] = {}
    for match in matches:
        if match.cue.kind in STAGES:
            last[match.sentence] = match
    words += [f"L:{m.cue.kind}" for m in last.values()]
    ends = _sentence_ends(text)
    predicates = [m for m in last.values() if ends[m.sentence] - m.end <= _PREDICATE_TAIL]
    words += [f"E:{m.cue.kind}" for m in predicates]
    words += [f"EK:{m.cue.name}" for m in predicates]
    if last:
        words.append(f"A:{last[min(last)].cue.kind}")
        words.append(f"AK:{last[min(last)].cue.name}")
        words.append(f"F:{last[max(last)].cue.kind}")
    words += [f"{place}:{last[number].cue.kind}" for number, place in ((0, "T"), (1, "LD")) if number in last]
    if not matches:
        words.append("K:none")
    return " ".join(words)


def direction_markers(text: str) -> str:
    """Where the setback or standstill cues are, and nothing else: a handful
    of dense markers generalise across the many ways news says 見送り, where
    one weight per cue word would need examples of each."""
    matches = find_cues(text)
    words = []
    last_kind: dict[int, str | None] = {}
    for match in matches:
        last_kind[match.sentence] = match.cue.kind
    first = min(last_kind, default=None)
    for kind in _TURNS:
        found = [m for m in matches if m.cue.kind == kind]
        if not found:
            continue
        words.append(f"D:{kind}")
        words += [f"N:{kind}"] * min(len(found), 3)
        if any(m.sentence == first for m in found):
            words.append(f"A:{kind}")
        if any(last_kind[s] == kind for s in last_kind):
            words.append(f"E:{kind}")
    return " ".join(words) or "none"


def passage(document: AnalyzedDocument, sentence: int, window: int = 1) -> str:
    """The title, the lead sentence and the matched sentence with its
    neighbours: the text a suggestion is made from. News puts the act in the
    title and lead; the window keeps the matched sentence's own predicate; the
    rest of a long article (other stories, other stages) stays out."""
    titles = [s.text for s in document.sentences if s.section == "title"]
    body = [s.text for s in document.sentences if s.section != "title"]
    index = min(max(sentence - len(titles), 0), max(len(body) - 1, 0))
    keep = sorted({0, *range(max(index - window, 0), min(index + window + 1, len(body)))}) if body else []
    return "\n".join([*titles, *(body[i] for i in keep)])


def _rows(texts: Sequence[str]) -> np.ndarray:
    """Columns: the passage, its stage markers, its direction markers."""
    rows = np.empty((len(texts), 3), dtype=object)
    for i, text in enumerate(texts):
        rows[i] = text, cue_markers(text), direction_markers(text)
    return rows


def _stage_pipeline(c: float) -> Pipeline:
    """Character 2-3-grams of the passage and its stage markers."""
    features = ColumnTransformer(
        [
            ("chars", TfidfVectorizer(analyzer="char", ngram_range=(2, 3), min_df=2, sublinear_tf=True), 0),
            ("cues", CountVectorizer(token_pattern=r"\S+", lowercase=False), 1),
        ]
    )
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    return Pipeline([("features", features), ("model", model)])


def _direction_pipeline(c: float) -> Pipeline:
    """The direction markers alone: with ~40 setbacks in the labels, words
    of the passage only add ways to overfit."""
    features = ColumnTransformer([("turns", CountVectorizer(token_pattern=r"\S+", lowercase=False), 2)])
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    return Pipeline([("features", features), ("model", model)])


def _calibrated(pipeline: Pipeline, rows: np.ndarray, labels: Sequence[str], folds: int):
    """Sigmoid calibration over stratified folds; a class too rare to appear
    in every fold stays in training but lowers the fold count, and below two
    folds the balanced logistic regression's own probabilities are used."""
    smallest = min(Counter(labels).values())
    splits = min(folds, smallest)
    if splits < 2:
        return pipeline.fit(rows, labels)
    folds_ = StratifiedKFold(splits, shuffle=True, random_state=0)
    calibrated = CalibratedClassifierCV(pipeline, method="sigmoid", cv=folds_, ensemble=False)
    return calibrated.fit(rows, labels)


# The stage model's regularisation. About 300 labelled passages against
# ~10,000 character n-grams: at C=1 it learns the wording of the events it
# saw; stronger regularisation leans on the cue markers, which carry over to
# events it did not see (bench/README.md, section Stages, has the curve).
STAGE_C = 0.1


class StageModel:
    """Suggests stage and direction for passages; see `passage` for the input."""

    def __init__(self, c: float = 1.0, folds: int = 3, regress_threshold: float = 0.3,
                 stage_c: float = STAGE_C) -> None:
        self.c = c  # the direction model's
        self.stage_c = stage_c
        self.folds = folds
        # 後退 is suggested from this calibrated probability up, below the
        # argmax: a missed setback hides a broken pledge, a false one costs
        # the moderator one key.
        self.regress_threshold = regress_threshold
        self.stage_estimator: CalibratedClassifierCV | Pipeline | None = None
        self.direction_estimator: CalibratedClassifierCV | Pipeline | str | None = None

    def fit(self, texts: Sequence[str], stages: Sequence[str], directions: Sequence[str]) -> StageModel:
        if not (len(texts) == len(stages) == len(directions)) or not texts:
            raise ValueError("texts, stages and directions must be non-empty and of one length")
        unknown = sorted(set(stages) - set(STAGES)) + sorted(set(directions) - set(DIRECTIONS))
        if unknown:
            raise ValueError(f"unknown labels: {', '.join(unknown)}")
        if len(set(stages)) < 2:
            raise ValueError("the labels need at least two different stages to learn from")
        rows = _rows(texts)
        self.stage_estimator = _calibrated(_stage_pipeline(self.stage_c), rows, list(stages), self.folds)
        self.direction_estimator = _fit_direction(rows, list(directions), self.c, self.folds)
        return self

    def predict(self, texts: Sequence[str]) -> list[StageSuggestion]:
        if self.stage_estimator is None or self.direction_estimator is None:
            raise ValueError("StageModel.predict before fit")
        if not texts:
            return []
        rows = _rows(texts)
        stage_p = self.stage_estimator.predict_proba(rows)
        stage_classes = [str(k) for k in self.stage_estimator.classes_]
        direction_p, direction_classes = _direction_proba(self.direction_estimator, rows)
        out = []
        for i, text in enumerate(texts):
            s = int(np.argmax(stage_p[i]))
            d = _direction_index(direction_p[i], direction_classes, self.regress_threshold)
            stage, direction = stage_classes[s], direction_classes[d]
            out.append(
                StageSuggestion(
                    stage=stage,
                    stage_confidence=round(float(stage_p[i, s]), 4),
                    direction=direction,
                    direction_confidence=round(float(direction_p[i, d]), 4),
                    cue=cue_phrase(text, stage, direction),
                    stage_probabilities={k: round(float(p), 4) for k, p in zip(stage_classes, stage_p[i], strict=True)},
                )
            )
        return out

    def dumps(self) -> bytes:
        """Both estimators in one skops file (plain sklearn, numpy and builtins)."""
        if self.stage_estimator is None or self.direction_estimator is None:
            raise ValueError("StageModel.dumps before fit")
        return sio.dumps({"c": self.c, "stage_c": self.stage_c, "folds": self.folds,
                          "regress_threshold": self.regress_threshold, "stage": self.stage_estimator,
                          "direction": self.direction_estimator})

    @classmethod
    def loads(cls, data: bytes) -> StageModel:
        """Refuses files naming any type, anywhere in their tree, outside TRUSTED_TYPES."""
        refused = sorted(schema_types(data) - set(TRUSTED_TYPES))
        if refused:
            raise ValueError(f"untrusted types in stage model: {', '.join(refused)}")
        state = sio.loads(data, trusted=list(TRUSTED_TYPES))
        # files written before the stage model had its own C used `c` for both
        model = cls(c=state["c"], folds=state["folds"], regress_threshold=state["regress_threshold"],
                    stage_c=state.get("stage_c", state["c"]))
        model.stage_estimator = state["stage"]
        model.direction_estimator = state["direction"]
        return model


def _fit_direction(rows: np.ndarray, directions: list[str], c: float, folds: int):
    """With a single direction in the labels there is nothing to learn: the
    constant is kept as a string and predicted with confidence 1."""
    if len(set(directions)) == 1:
        return directions[0]
    return _calibrated(_direction_pipeline(c), rows, directions, folds)


def _direction_index(probabilities: np.ndarray, classes: list[str], regress_threshold: float) -> int:
    if REGRESS in classes and probabilities[classes.index(REGRESS)] >= regress_threshold:
        return classes.index(REGRESS)
    return int(np.argmax(probabilities))


def _direction_proba(estimator, rows: np.ndarray) -> tuple[np.ndarray, list[str]]:
    if isinstance(estimator, str):
        return np.ones((len(rows), 1)), [estimator]
    return estimator.predict_proba(rows), [str(k) for k in estimator.classes_]


def cue_phrase(text: str, stage: str, direction: str) -> str:
    """The phrase shown as evidence, from the first sentence that has one
    (news states the act in the title and lead): for a setback, its cue joined
    with a nearby cue of the suggested stage (「提出を見送る」), else the setback
    cue alone; otherwise the last cue of the suggested stage in its sentence
    (the predicate), or of any stage when the suggested one has none; with
    the trailing kana; "" for a passage without a cue."""
    matches = find_cues(text)
    by_sentence: dict[int, list[Match]] = {}
    for match in matches:
        by_sentence.setdefault(match.sentence, []).append(match)
    if direction != FORWARD:
        lone = None
        for sentence in sorted(by_sentence):
            turns = [m for m in by_sentence[sentence] if m.cue.kind == direction]
            staged = [m for m in by_sentence[sentence] if m.cue.kind == stage]
            pairs = [(_gap(a, t), a, t) for t in turns for a in staged if _gap(a, t) <= _JOIN_GAP]
            if pairs:
                _, a, t = min(pairs, key=lambda p: p[0])
                return _span(text, min(a.start, t.start), max(a.end, t.end))
            lone = lone or (turns[0] if turns else None)
        if lone is not None:
            return _span(text, lone.start, lone.end)
    for wanted in ((stage,), STAGES):
        for sentence in sorted(by_sentence):
            staged = [m for m in by_sentence[sentence] if m.cue.kind in wanted]
            if staged:
                return _span(text, staged[-1].start, staged[-1].end)
    return ""


def _gap(a: Match, b: Match) -> int:
    return max(a.start, b.start) - min(a.end, b.end)


def _span(text: str, start: int, end: int) -> str:
    tail = _TAIL.match(text, end)
    return text[start : tail.end() if tail else end]
