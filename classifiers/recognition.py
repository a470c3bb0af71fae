"""Which politicians an article is about, and how it refers to them.

News names a politician in a few ways, from strongest to weakest: full name
(高市早苗), surname with a title or honorific (高市首相, 石破氏, 吉村大阪府知事),
the title alone (首相は…), resolved through the roles table by the article's
date or to the person named with that title earlier in the same article, a body
the politician leads (政府, 都) during their term, the bare surname, and the
place they govern named only as a place (大阪市内で). A politician known only by
name (a pledges file without a catalog) has no roles table; their bodies are
read from their own pledges and their offices from the batch of articles
(`Recognizer.learn_offices`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache, cached_property

from catalog.model import Catalog, Politician, Role
from catalog.names import common_surnames
from catalog.offices import LEADER_TITLES, default_offices
from classifiers.lexicon import BARE_TITLES, HONORIFICS, OFFICE_BODIES, TITLES
from classifiers.tokenize import AnalyzedDocument, Tokenizer
from classifiers.word_trie import any_of

# Strongest first; the order is also the feature encoding.
KINDS = ("name", "surname_title", "title", "body", "surname", "place")
STRENGTH = {kind: len(KINDS) - i for i, kind in enumerate(KINDS)}

_NAME_CHAR = "一-龥々〆ヵヶァ-ヴー"
# A named prefecture or city (横浜市, 兵庫県, 東京都), or 都/道/府 standing alone
# as the acting body or its territory (都が, 都内, 道民): each names one place,
# unlike 県 or 市, which every prefecture and city shares.
_PLACE = re.compile(
    r"(東京都|北海道|(?:大阪|京都)府|[一-龥]{2,3}[県市])(?![会長議])"
    r"|(?<![一-龥])([都道府])(?=[内民立がはのでを])"
)
# After a name: an optional 前/元 and organisation (大阪府, 国民民主党) before the
# title word, or an honorific.
_TITLE_AFTER = re.compile(
    rf"(?:[前元新現])?(?:[{_NAME_CHAR}]{{0,7}}?)"
    rf"({'|'.join(sorted(TITLES, key=len, reverse=True))})"
    rf"|({'|'.join(HONORIFICS)})"
)


_NAME_CHARS = re.compile(f"[{_NAME_CHAR}]")


def bare_titles(text: str, words: Iterable[str]) -> list[tuple[int, str]]:
    """(position, word) of each title standing alone: not the tail of a name
    or an organisation (高市首相, 前首相), but 同首相 refers back and counts.
    Only the titles some candidate holds are looked for, longest first, each
    by `str.find`: one alternation of every office's titles cost more than
    the rest of recognition."""
    taken: list[tuple[int, int]] = []
    out: list[tuple[int, str]] = []
    for word in sorted(set(words), key=len, reverse=True):
        start = text.find(word)
        while start >= 0:
            before = text[start - 1 : start]
            alone = not before or before == "同" or not _NAME_CHARS.match(before)
            if alone and not any(a <= start < b for a, b in taken):
                taken.append((start, start + len(word)))
                out.append((start, word))
            start = text.find(word, start + 1)
    return sorted(out)


@dataclass(frozen=True)
class Mention:
    politician_id: str
    kind: str
    mention: str
    count: int
    in_title: bool
    in_lead: bool
    in_term: bool | None  # None: no roles known for this politician
    first: int = 0  # position of the first mention in `AnalyzedDocument.text`

    @property
    def strength(self) -> int:
        return STRENGTH[self.kind]


@dataclass(frozen=True)
class _Forms:
    politician_id: str
    full: tuple[str, ...]
    surnames: tuple[str, ...]
    roles: tuple[Role, ...]
    places: tuple[str, ...] = ()
    shared: frozenset[str] = frozenset()  # surnames another politician of the catalog has too

    @cached_property
    def names(self) -> tuple[str, ...]:
        """Full names and surnames, longest first: which of them a mention starts with."""
        return tuple(sorted((*self.full, *self.surnames), key=len, reverse=True))

    @cached_property
    def words(self) -> frozenset[str]:
        """Every piece of this politician's name, to tell them from others."""
        given = {f[len(s) :] for f in self.full for s in self.surnames if f.startswith(s)}
        return frozenset({*self.full, *self.surnames, *given} - {""})


class Recognized(dict[str, "Mention"]):
    """The mentions by politician id, and `unresolved`: politicians a name in
    the article may be, left uncredited because it cannot tell (id → note);
    `through`: parties credited through their leader's mention (party id →
    the leader's id), so the leader is not someone else for the party."""

    def __init__(self, unresolved: dict[str, str] | None = None) -> None:
        super().__init__()
        self.unresolved = unresolved or {}
        self.through: dict[str, str] = {}


@dataclass(frozen=True)
class LearnedOffices:
    """Offices read from a batch of articles (`Recognizer.learn_offices`), kept
    apart from the recognizer so one recognizer serves concurrent batches."""

    roles: dict[str, tuple[Role, ...]] = field(default_factory=dict)
    keys: dict[str, frozenset[str]] = field(default_factory=dict)


NO_OFFICES = LearnedOffices()


@dataclass
class _Hits:
    """One politician's mentions in one article, before they become a Mention."""

    found: list[tuple[int, str, str]] = field(default_factory=list)  # position, kind, text
    titles: set[str] = field(default_factory=set)
    taken: set[int] = field(default_factory=set)
    in_term: bool | None = None


class _Text:
    """An article's text with the searches `Recognizer._names` repeats for
    each candidate remembered: dozens of candidates share a surname (田中),
    and each asked whether and where it occurs and what follows it."""

    def __init__(self, doc: AnalyzedDocument) -> None:
        self.text = fold_variants(doc.text)
        self.people = tuple(map(fold_variants, doc.people))
        self.terms = _folded_terms(doc)
        self._held: dict[str, bool] = {}
        self._positions: dict[str, tuple[int, ...]] = {}
        self._after: dict[int, re.Match[str] | None] = {}
        self._titles: dict[str, frozenset[str]] = {}
        self._followers: dict[str, tuple[str, ...]] = {}

    def holds(self, word: str) -> bool:
        held = self._held.get(word)
        if held is None:
            held = self._held[word] = word in self.text
        return held

    def positions(self, word: str) -> tuple[int, ...]:
        """Where `word` occurs, left to right, each after the previous one's end."""
        found = self._positions.get(word)
        if found is None:
            out, start = [], self.text.find(word)
            while start >= 0:
                out.append(start)
                start = self.text.find(word, start + len(word))
            found = self._positions[word] = tuple(out)
        return found

    def title_after(self, end: int) -> re.Match[str] | None:
        """The title or honorific right after `end` (see `_TITLE_AFTER`)."""
        if end not in self._after:
            self._after[end] = _TITLE_AFTER.match(self.text, end)
        return self._after[end]

    def titles_after(self, word: str) -> frozenset[str]:
        """The titles that follow some occurrence of `word`."""
        found = self._titles.get(word)
        if found is None:
            matches = (self.title_after(start + len(word)) for start in self.positions(word))
            found = self._titles[word] = frozenset(w for m in matches if m for w in _title_words(m))
        return found

    def followers(self, surname: str) -> tuple[str, ...]:
        """The person-name words of the article written right after `surname`
        somewhere (鈴木 + 健太): asked once per surname, not per candidate."""
        found = self._followers.get(surname)
        if found is None:
            found = self._followers[surname] = tuple(w for w in self.people if self.holds(surname + w))
        return found


class Recognizer:
    """Built once per catalog; `recognize` then runs per article, looking in
    detail only at politicians whose name forms are among the article's terms."""

    def __init__(self, catalog: Catalog, tokenizer: Tokenizer, others: Sequence[Politician] = ()) -> None:
        """`others` are people known to hold offices who own no pledge here
        (the office book): recognised so that their title dates an undated
        article and their acts are not taken for the pledge owner's."""
        self._forms: dict[str, _Forms] = {}
        self._by_key: dict[str, set[str]] = {}
        self._always: dict[str, set[str]] = {}  # names no term shows (see _candidates) → politicians
        role_words: set[str] = set(BARE_TITLES)
        organizations: dict[str, set[str | None]] = {}
        places = _places(catalog)
        known = {unicodedata.normalize("NFKC", p.name) for p in catalog.politicians}
        extra = [p for p in others if unicodedata.normalize("NFKC", p.name) not in known]
        self._extra = frozenset(p.id for p in extra)
        for politician in (*catalog.politicians, *extra):
            forms = _forms_of(politician, tokenizer, places.get(politician.id, ()))
            self._forms[politician.id] = forms
            keys = {*forms.full, *forms.surnames, *forms.places}
            for role in forms.roles:
                keys.update((role.title, *role.aliases, *role.bodies, *filter(None, (role.organization,))))
                role_words.update((role.title, *role.aliases))
                for word in (role.title, *role.aliases, *role.bodies):
                    organizations.setdefault(word, set()).add(role.organization)
            for key in keys:
                self._by_key.setdefault(key, set()).add(politician.id)
            for surname in forms.surnames:
                if _is_kanji(surname) and surname not in tokenizer.terms(surname):
                    self._always.setdefault(surname, set()).add(politician.id)
            if politician.is_party:
                # a party name the tagger cuts into words (再生の道: 再生 / の / 道)
                # is never a term, and a party has no surname to find it by
                for name in forms.full:
                    if name not in tokenizer.terms(name):
                        self._always.setdefault(name, set()).add(politician.id)
        # Words the offices of many organisations share (市長, 市, 県議): they
        # name a holder only with the holder's organisation in the article, so
        # they make nobody a candidate; the organisation's own words do. With
        # thousands of local politicians, 「市は」 would otherwise make every
        # mayor a candidate of every article.
        self._generic = frozenset(w for w, orgs in organizations.items() if len(orgs) > _GENERIC_ORGANIZATIONS)
        for word in self._generic:
            self._by_key.pop(word, None)
        owners: dict[str, set[str]] = {}
        for forms in self._forms.values():
            for surname in forms.surnames:
                owners.setdefault(surname, set()).add(forms.politician_id)
        for forms in self._forms.values():
            for name in forms.full:
                owners.setdefault(name, set()).add(forms.politician_id)
        for pid, forms in self._forms.items():
            shared = frozenset(s for s in forms.surnames if len(owners[s]) > 1)
            self._forms[pid] = replace(forms, shared=shared)
        self._role_words = frozenset(role_words)
        self._leads = _leaderships(catalog, self._forms)
        # the places each politician's offices govern (東京都, 都, 横浜市), national ones aside
        self._jurisdictions = {
            pid: frozenset((*forms.places, *(w for r in forms.roles if r.region != "国"
                                              for w in (r.organization, *r.bodies) if w)))
            for pid, forms in self._forms.items()
        }
        self._office_words = {
            pid: frozenset(word for role in forms.roles
                           for word in (role.title, *role.aliases, *role.bodies, role.organization) if word)
            | frozenset(forms.places)
            for pid, forms in self._forms.items()
        }
        # Office words and places of three characters or more are also looked
        # for in the text, one search for all: the tagger cuts some into several
        # terms always (経済産業省: 経済 / 産業 / 省; 資源エネルギー庁) and others
        # by context (佐賀県立大: 佐賀 / 県立 / 大), so no term of the article is
        # the ministry or the prefecture. Not inside a longer name: 京都府 in
        # 東京都府中市, 大阪市 in 東大阪市.
        words = {word for words in self._office_words.values() for word in words if len(word) >= 3} - self._generic
        self._written = re.compile(any_of(words)) if words else None
        self._party_names = _party_names(catalog, (*catalog.politicians, *extra))
        self._listed = _listed_forms(catalog, self._forms)
        self._role_titles = {pid: _titles(forms.roles) for pid, forms in self._forms.items() if forms.roles}

    def learn_offices(self, docs: Sequence[AnalyzedDocument]) -> LearnedOffices:
        """Offices of politicians without a roles table, read from a batch of
        articles: when 高市首相 appears in articles of some months, a bare 首相 in
        another article of those months (give or take `_LEARNED_MARGIN`) is
        resolved to her as if the roles table said so. A head of a city or
        prefecture written with their organisation (桐生市の佐野市長, 佐野桐生市長)
        gets it as a body, undated articles included: the mayor of a city the
        office book does not cover acts through 「桐生市は…」 in the rest of
        the batch, and another city named up front is someone else's. This
        makes their scores depend on the batch; politicians with a roles table
        are unaffected."""
        seen: dict[tuple[str, str], list[date]] = {}
        organizations: dict[tuple[str, str], set[str]] = {}
        roleless = {pid for pid, forms in self._forms.items() if not forms.roles}
        if not roleless:
            return NO_OFFICES
        for doc in docs:
            day = doc.day
            scan = _Text(doc)
            for pid in sorted(self._candidates(scan.terms, NO_OFFICES, scan.text) & roleless):
                hits = self._names(pid, doc, NO_OFFICES, scan)
                names = self._forms[pid].names
                for pos, _, mention in hits.found:
                    name = next((n for n in names if mention.startswith(n)), mention)
                    before = scan.text[max(0, pos - _PLACE_BEFORE) : pos]
                    found = _organization_of(mention[len(name):], before, scan.terms)
                    if found is not None:
                        organizations.setdefault((pid, found[0]), set()).add(found[1])
                for title in hits.titles:
                    if title in _LEARNABLE:
                        days = seen.setdefault((pid, title), [])
                        if day is not None:
                            days.append(day)
        learned: dict[str, list[Role]] = {}
        for (pid, title), days in sorted(seen.items()):
            orgs = tuple(sorted(organizations.get((pid, title), ())))
            if not days and not orgs:
                continue
            learned.setdefault(pid, []).append(
                Role(
                    title=title,
                    organization=orgs[0] if len(orgs) == 1 else None,
                    start=min(days) - _LEARNED_MARGIN if days else None,
                    end=max(days) + _LEARNED_MARGIN if days else None,
                    bodies=(*self._forms[pid].places, *OFFICE_BODIES.get(title, ()), *orgs),
                )
            )
        keys: dict[str, set[str]] = {}
        for pid, roles in learned.items():
            for role in roles:
                for key in (role.title, *role.bodies):
                    keys.setdefault(key, set()).add(pid)
        return LearnedOffices(
            roles={pid: tuple(roles) for pid, roles in learned.items()},
            keys={key: frozenset(pids) for key, pids in keys.items()},
        )

    def _candidates(self, terms: set[str], learned: LearnedOffices, text: str = "") -> set[str]:
        """Politicians some name form, title or body of whom is among the terms,
        and those whose surname the tagger never cuts out as a term but the
        text holds (one search per distinct surname, not per politician)."""
        candidates: set[str] = set()
        for surname, pids in self._always.items():
            if surname in text:
                candidates |= pids
        for index in (self._by_key, learned.keys):
            for term in terms & index.keys():
                candidates |= index[term]
        return candidates

    def recognize(self, doc: AnalyzedDocument, learned: LearnedOffices = NO_OFFICES) -> Recognized:
        scan = self._with_written_words(_Text(doc))
        terms = scan.terms
        listed = _listed_parties(scan.text, self._listed) if self._listed else {}
        candidates = self._candidates(terms, learned, scan.text) | listed.keys()
        if not candidates:
            return Recognized()
        ordered = sorted(candidates)
        hits = {pid: self._names(pid, doc, learned, scan) for pid in ordered}
        for pid, places in listed.items():
            hits[pid].found.extend((pos, "name", form) for pos, form in places if pos not in hits[pid].taken)
        day = doc.day or self._dated_by_titles(hits)
        unresolved = self._settle(doc, hits, day, learned)
        # A candidate with no name found whose article holds none of its office
        # words, bodies or places is credited nothing and changes nobody's
        # credit (the roles pass weighs only words the article holds): left out,
        # as dozens of local politicians share each common surname.
        hits = {pid: found for pid, found in hits.items()
                if found.found or self._office_in(pid, scan, terms, learned)}
        self._roles(doc, terms, hits, learned, day)
        bare = bare_titles(doc.text, {t for found in hits.values() for t in found.titles} & self._role_words)
        for found in hits.values():
            found.found.extend(
                (pos, "title", word) for pos, word in bare if word in found.titles and pos not in found.taken
            )
        title_end, lead_end = section_ends(doc.text)
        out = Recognized(unresolved=unresolved)
        for pid, found in hits.items():
            if not found.found:
                continue
            best = max(found.found, key=lambda hit: STRENGTH[hit[1]])
            out[pid] = Mention(
                politician_id=pid,
                kind=best[1],
                mention=best[2],
                count=len(found.found),
                in_title=any(pos < title_end for pos, _, _ in found.found),
                in_lead=any(pos < lead_end for pos, _, _ in found.found),
                in_term=found.in_term,
                first=min(pos for pos, _, _ in found.found),
            )
        self._credit_parties(out, day)
        return out

    def _with_written_words(self, scan: _Text) -> _Text:
        if self._written is not None:
            text = scan.text
            scan.terms |= {m[0] for m in self._written.finditer(text)
                           if not _is_name_char(text[m.start() - 1 : m.start()])}
        return scan

    def _credit_parties(self, out: Recognized, day: date | None) -> None:
        """A party acts through its leader: a party owner the article does not
        name is credited, as through a body, with the mention of whoever led it
        on the article's date (any time, undated), the prime minister's 政府
        included when the leader held that office."""
        for pid, mention in list(out.items()):
            for party, role in self._leads.get(pid, ()):
                if party in out or (day is not None and not role.covers(day)):
                    continue
                out[party] = replace(mention, politician_id=party, kind="body", in_term=None)
                out.through[party] = pid

    def _office_in(self, politician_id: str, scan: _Text, terms: set[str], learned: LearnedOffices) -> bool:
        """Some title, alias, body or organisation of the politician's offices
        (learnt ones for a politician without a roles table), or a place of
        theirs, is among the article's terms or in its text."""
        words = self._office_words[politician_id]
        if not self._forms[politician_id].roles:
            words = words | {w for role in learned.roles.get(politician_id, ()) for w in (role.title, *role.bodies)}
        return not words.isdisjoint(terms) or any(map(scan.holds, words))

    def titled_people(self, doc: AnalyzedDocument) -> list[tuple[int, str]]:
        """(position, name word) of every person named with a title or
        honorific (神谷代表, 鈴木健太知事): who else acts in the article."""
        text, out = doc.text, []
        for word in doc.people:
            start = text.find(word)
            while start >= 0:
                end = start + len(word)
                if _TITLE_AFTER.match(text, end):
                    out.append((start, word))
                start = text.find(word, end)
        return out

    def successor_named(self, politician_id: str, found: dict[str, Mention], day: date | None) -> bool:
        """Someone else named in the article held, on its date, an office the
        owner held at another time: a later prime minister asked about a
        predecessor's target acts for themself, not for the predecessor."""
        if day is None:
            return False
        offices = {(r.organization, r.title) for r in self._forms[politician_id].roles if not r.covers(day)}
        if not offices:
            return False
        return any(
            (role.organization, role.title) in offices and role.covers(day)
            for pid, mention in found.items()
            if pid != politician_id and mention.strength >= STRENGTH["title"]
            for role in self._forms[pid].roles
        )

    def elsewhere(self, politician_id: str, places: frozenset[str], learned: LearnedOffices = NO_OFFICES) -> bool:
        """The places named up front (`places_named`) are all someone else's
        jurisdictions: another city's or prefecture's act, where the owner
        governs a place of their own."""
        learnt = learned.roles.get(politician_id, ())
        own = self._jurisdictions.get(politician_id, frozenset()) | {
            body for role in learnt if role.title in _LOCAL_TITLES for body in role.bodies}
        return bool(own) and bool(places) and places.isdisjoint(own)

    def other_people(self, politician_id: str, titled: list[tuple[int, str]], leader: str | None = None) -> list[int]:
        """Positions of titled people who are not this politician (nor the
        leader a party was credited through)."""
        own = self._forms[politician_id].words
        if leader is not None:
            own = own | self._forms[leader].words
        return [pos for pos, word in titled if word not in own]

    def _dated_by_titles(self, hits: dict[str, _Hits]) -> date | None:
        """An undated article that names someone with the title of an office
        they held once (石破首相) was written during that term."""
        for pid, found in hits.items():
            if not found.titles:
                continue
            for role in self._forms[pid].roles:
                if found.titles & {role.title, *role.aliases} and role.start is not None:
                    end = role.end or max(role.start, date.today())
                    return role.start + (end - role.start) / 2
        return None

    def _titles_of(self, politician_id: str, learned: LearnedOffices) -> frozenset[str]:
        if politician_id in self._role_titles:
            return self._role_titles[politician_id]
        return _titles(learned.roles.get(politician_id, ()))

    def _names(self, politician_id: str, doc: AnalyzedDocument, learned: LearnedOffices, scan: _Text) -> _Hits:
        """Full names, then surnames not inside a full name and not followed by
        someone else's given name (鈴木健太 is not 鈴木直道); each with the title
        or honorific that follows it, if any. A surname two politicians of the
        catalog share counts only with a title known to be this one's, and a
        bare common surname (佐藤, 森: thousands of people, or a plain word)
        counts for nobody."""
        forms = self._forms[politician_id]
        guarded = forms.shared or any(_common(s) for s in forms.surnames)
        own_titles = self._titles_of(politician_id, learned) if guarded else frozenset()
        text = scan.text
        hits = _Hits()
        present = [s for s in forms.surnames if scan.holds(s)]
        named = any(scan.holds(name) for name in forms.full)
        if not present and not named:
            return hits  # a candidate through its office or body alone
        if not named and guarded and all(s in forms.shared or _common(s) for s in present) \
                and not any(scan.titles_after(s) & own_titles for s in present):
            # Dozens of candidates share a common surname: without their full
            # name or their own title after it, none of them is found.
            return hits
        others = [w for w in scan.people if w not in forms.words] if named else []  # for _cut_short
        shadowed = any(w not in forms.words for surname in present for w in scan.followers(surname))
        for plain_kind, names in (("name", forms.full), ("surname", forms.surnames)):
            if plain_kind == "surname" and shadowed:
                # Someone else with the same surname is in the article (秋田県の
                # 鈴木健太知事): a bare 鈴木知事 may be either, so only full names count.
                continue
            for name in names:
                for start in scan.positions(name):
                    end = start + len(name)
                    if plain_kind == "name" and _cut_short(text, start, end, others):
                        continue  # 佐藤孝 inside 佐藤孝弘: someone else
                    if start in hits.taken:
                        continue
                    after = scan.title_after(end)
                    guarded = name in forms.shared or (plain_kind == "surname" and _common(name))
                    if guarded and not (after and _title_words(after) & own_titles):
                        continue
                    hits.taken.update(range(start, end))
                    if after is None:
                        hits.found.append((start, plain_kind, name))
                    else:
                        hits.titles.update(_title_words(after))
                        kind = "name" if plain_kind == "name" else "surname_title"
                        hits.found.append((start, kind, text[start : after.end()]))
        return hits

    def _settle(self, doc: AnalyzedDocument, hits: dict[str, _Hits], day: date | None,
                learned: LearnedOffices) -> dict[str, str]:
        """A name at one place of the text that several politicians answer to
        (two 高橋誠, or 佐藤知事 with two governors 佐藤) goes to the one the
        article points at: by the office named with it, then the organisation
        or region of an office named in the article, then their party, then
        the date. Where none of these tells, it goes to nobody, and each of
        them gets a note saying so (pid → note)."""
        claims: dict[tuple[int, str], list[str]] = {}
        for pid, found in hits.items():
            for pos, _, mention in found.found:
                claims.setdefault((pos, mention), []).append(pid)
        notes: dict[str, str] = {}
        for (pos, mention), pids in claims.items():
            if len(pids) < 2:
                continue
            winners = self._tell_apart(pids, mention, doc, day, learned)
            for pid in pids:
                if pid in winners:
                    continue
                found = hits[pid]
                found.found = [hit for hit in found.found if (hit[0], hit[2]) != (pos, mention)]
                found.titles = {t for t in found.titles if any(h[2].endswith(t) for h in found.found)}
                if not winners:
                    notes[pid] = (f"「{mention}」: {len(pids)} politicians of the catalog answer to it and "
                                  "neither office, region, party nor date tells which; credited to none")
        return notes

    def _tell_apart(self, pids: list[str], mention: str, doc: AnalyzedDocument, day: date | None,
                    learned: LearnedOffices) -> list[str]:
        text = doc.text

        def roles(pid: str) -> tuple[Role, ...]:
            return self._forms[pid].roles or learned.roles.get(pid, ())

        tests = (
            lambda pid: any(mention.endswith(t) and len(t) < len(mention) for t in self._titles_of(pid, learned)),
            lambda pid: any(place in text for r in roles(pid) for place in _place_forms(r))
            or any(p in text for p in self._forms[pid].places),
            lambda pid: any(name in text for name in self._party_names.get(pid, ())),
            lambda pid: day is not None and any(r.covers(day) for r in roles(pid)),
        )
        left = list(pids)
        for test in tests:
            kept = [pid for pid in left if test(pid)]
            if kept:
                left = kept
            if len(left) == 1:
                return left
        return []

    def _roles(self, doc: AnalyzedDocument, terms: set[str], hits: dict[str, _Hits], learned: LearnedOffices,
               day: date | None) -> None:
        """Bare titles and bodies through the roles table. A title some named
        person in the article already carries (鈴木知事 … 知事は) is theirs; a
        title or body that several office-holders share on that day (知事, 市)
        counts only with the holder's own organisation or body in the article,
        and only when the article names no other holder's. Only holders of one
        title are rivals for a word: a ministry acting (農水省は) is its
        minister's act and the prime minister's, and 官房長官 the secretary's
        title and a body of the prime minister, so neither makes the other's
        credit ambiguous; two governors' 知事 does."""
        claimed = {title for found in hits.values() for title in found.titles}
        holders: dict[tuple[str, str], set] = {}
        active: list[tuple[str, Role]] = []
        for pid, found in hits.items():
            roles = self._forms[pid].roles
            if roles and day is not None:
                found.in_term = False
            for role in roles or learned.roles.get(pid, ()):
                # Undated, any term may be meant: successive holders of one
                # office share its words (政府 is whoever was prime minister),
                # but holders of different offices still do not (県).
                if day is None or role.covers(day):
                    found.in_term = (True if roles else found.in_term) if day is not None else None
                    if pid in self._extra:
                        continue  # dates the article and acts for itself; shares no office word
                    active.append((pid, role))
                    holder = pid if day is not None else (role.organization, role.title)
                    for word in (role.title, *role.aliases, *role.bodies):
                        holders.setdefault((word, role.title), set()).add(holder)
        for pid, found in hits.items():
            found.found.extend(_body_hit(doc, place) for place in self._forms[pid].places if place in terms)
        grounded: list[bool] = []
        grounded_holders: dict[tuple[str, str], set] = {}
        for pid, role in active:
            own = {b for b in role.bodies if len(holders[b, role.title]) == 1} | {role.organization or ""}
            grounded.append(any(word in terms for word in own if word))
            if grounded[-1]:
                holder = pid if day is not None else (role.organization, role.title)
                for word in (role.title, *role.aliases, *role.bodies):
                    grounded_holders.setdefault((word, role.title), set()).add(holder)

        def counts(word: str, title: str, is_grounded: bool) -> bool:
            # A shared word (知事, 県) is the one holder's whose organisation the
            # article names (千葉県 … 県は), unless it names several of them.
            alone = len(holders[word, title]) == 1 and word not in self._generic
            return alone or (is_grounded and len(grounded_holders[word, title]) == 1)

        # A bare title whose holder (of some date) the article names is that
        # holder's: 「元横浜市長の中田宏」 is not also his predecessor.
        named_holders: dict[str, set[str]] = {}
        for pid, role in active:
            if any(kind in ("name", "surname_title") for _, kind, _ in hits[pid].found):
                for word in (role.title, *role.aliases):
                    named_holders.setdefault(word, set()).add(pid)
        for (pid, role), is_grounded in zip(active, grounded, strict=True):
            found = hits[pid]
            for word in (role.title, *role.aliases):
                if word in claimed and word not in found.titles:
                    continue
                if pid not in named_holders.get(word, {pid}):
                    continue
                if counts(word, role.title, is_grounded):
                    found.titles.add(word)
            found.found.extend(
                _body_hit(doc, body) for body in role.bodies
                if body in terms and counts(body, role.title, is_grounded)
            )


# More organisations than this share a word of their offices: see Recognizer._generic.
_GENERIC_ORGANIZATIONS = 3


# Offices whose bare title can stand for the holder in a later article.
_LEARNABLE = frozenset(BARE_TITLES)
_LEARNED_MARGIN = timedelta(days=45)
_ACTOR_AFTER = re.compile(r"(?:は|が|も|として|側は|当局)")


# The head of a place by the last character of its name. Their titles are the
# offices whose organisation a name-only politician's articles write with them.
_TITLE_OF_SUFFIX = {"都": "知事", "道": "知事", "府": "知事", "県": "知事",
                    "市": "市長", "区": "区長", "町": "町長", "村": "村長"}
_LOCAL_TITLES = tuple(dict.fromkeys(_TITLE_OF_SUFFIX.values()))
_LOCAL_TITLE = re.compile(f"(.*?)({'|'.join(_LOCAL_TITLES)})")
# One place's name: 明石市 of 兵庫県明石市, not the two.
_ONE_PLACE = r"(?:(?![都道府県])[一-龥ヶ]){1,4}[都道府県市区町村]"
_LAST_PLACE = re.compile(f"{_ONE_PLACE}$")
_PLACE_OF = re.compile(f"({_ONE_PLACE})の$")
_PLACE_BEFORE = 7  # characters before a name that can hold one place and の


def _organization_of(written: str, before: str, terms: set[str]) -> tuple[str, str] | None:
    """(bare title, organisation) of a local title as written after a name,
    its place with it (前橋市長, 兵庫県明石市長) or before the name (明石市の 泉市長).
    A former holder (元横浜市長, 前市長) gets none: their city's acts are their
    successor's. 前 and 新 also begin places (前橋市, 新潟市): a place the
    article has as a term, or with the title, is kept whole."""
    match = _LOCAL_TITLE.fullmatch(written)
    if match is None:
        return None
    place, title = match.groups()
    rest = title
    if title != "知事":
        place, rest = place + title[0], title[1:]
    whole = place in terms or place + rest in terms
    if place[:1] in ("元", "前", "新", "現") and not (whole and len(place) > 2):
        if place[0] in "元前":
            return None  # a former holder
        place = place[1:]  # 新市長: the new mayor
    if place not in ("", title[0]):
        last = _LAST_PLACE.search(place)
        return (title, last.group(0)) if last else None
    named = _PLACE_OF.search(before)
    if named is None or _TITLE_OF_SUFFIX[named.group(1)[-1]] != title:
        return None
    return title, named.group(1)


def places_named(text: str) -> frozenset[str]:
    """Prefectures and cities `text` names (横浜市, 三重県, 都が)."""
    return frozenset(m.group(1) or m.group(2) for m in _PLACE.finditer(text))


def _leaderships(catalog: Catalog, forms: dict[str, _Forms]) -> dict[str, tuple[tuple[str, Role], ...]]:
    """Person id → (party owner id, leadership role) for each catalog party
    the person's roles say they led (総裁, 代表, 委員長 … of one of its names)."""
    parties: dict[str, str] = {}
    for politician in catalog.politicians:
        if politician.is_party:
            for name in forms[politician.id].full:
                parties[name] = politician.id
    if not parties:
        return {}
    out: dict[str, tuple[tuple[str, Role], ...]] = {}
    for pid, person in forms.items():
        led = tuple(
            (parties[organization], role)
            for role in person.roles
            if role.title in LEADER_TITLES
            and (organization := unicodedata.normalize("NFKC", role.organization or "")) in parties
            and parties[organization] != pid
        )
        if led:
            out[pid] = led
    return out


# Parties listed by their first characters: 「自民、公明、国民の3党」「立憲・国民両党」
# 「民主、社民、国民新の与党3党」. The last element is the shortest that lets
# the count follow; the first may carry the words before it (see _listed_parties).
_LIST_ELEMENT = "[一-龥々ァ-ヴーぁ-ゖA-Za-z]"
_PARTY_LIST = re.compile(
    f"((?:{_LIST_ELEMENT}{{1,8}}[、・])+{_LIST_ELEMENT}{{1,8}}?)の?(?:与党|野党)?(?:両党|各党|[0-9一二三四五六七八九十]+党)"
)
_LIST_SPLIT = re.compile("[、・]")


def _listed_forms(catalog: Catalog, forms: dict[str, _Forms]) -> dict[str, tuple[str, ...]]:
    """Each catalog party's names, and every party name the office book knows
    (under "" when no catalog party owns it): a short form that begins two
    parties' names names neither."""
    listed = {pid: forms[pid].full for pid in (p.id for p in catalog.politicians if p.is_party)}
    if not listed:
        return {}
    owned = {name for names in listed.values() for name in names}
    book = default_offices()
    others = tuple(unicodedata.normalize("NFKC", n) for full, aliases in (book.parties.items() if book else ())
                   for n in (full, *aliases))
    return {**listed, "": tuple(n for n in others if n not in owned)}


def _listed_parties(text: str, listed: dict[str, tuple[str, ...]]) -> dict[str, list[tuple[int, str]]]:
    """(position, form) of each catalog party named in a list of parties by a
    form its name begins with (国民 for 国民民主党), though the form alone is a
    common word. Of the first element only the end can be a party: 「…で自民、」."""
    out: dict[str, list[tuple[int, str]]] = {}
    for match in _PARTY_LIST.finditer(text):
        start = match.start(1)
        for k, element in enumerate(_LIST_SPLIT.split(match.group(1))):
            tails = [element[i:] for i in range(len(element) - 1)] if k == 0 else [element]
            for form in tails:
                owners = {pid for pid, names in listed.items() if any(n.startswith(form) for n in names)}
                if len(form) >= 2 and len(owners) == 1 and "" not in owners:
                    out.setdefault(owners.pop(), []).append((start + len(element) - len(form), form))
                    break
            start += len(element) + 1
    return out


def _party_names(catalog: Catalog, people: Iterable[Politician]) -> dict[str, tuple[str, ...]]:
    """Each person's party as news may write it: its name and its short
    names (自民, 維新) from the catalog's parties and the office book."""
    short = {unicodedata.normalize("NFKC", p.name): p.aliases for p in catalog.politicians if p.is_party}
    book = default_offices()
    out = {}
    for person in people:
        if person.party and not person.is_party:
            party = unicodedata.normalize("NFKC", person.party)
            known = book.party_names(party) if book else ()
            out[person.id] = tuple(dict.fromkeys((party, *short.get(party, ()), *known)))
    return out


def _cut_short(text: str, start: int, end: int, words: Iterable[str]) -> bool:
    """A person-name word of the article runs on past `end`: the name at
    start:end is the head of a longer one."""
    for word in words:
        found = text.find(word, max(start, end - len(word) + 1))
        if 0 <= found < end:
            return True
    return False


def _body_hit(doc: AnalyzedDocument, body: str) -> tuple[int, str, str]:
    """A body acts when it is the subject somewhere (都は, 政府が); 大阪市内で,
    府立高校 or 府の関係者 only place the story, a weaker kind of mention."""
    text, start = doc.text, doc.text.find(body)
    first = start
    while start >= 0:
        end = start + len(body)
        if _ACTOR_AFTER.match(text, end) and not _is_name_char(text[start - 1 : start]):
            return (start, "body", body)
        start = text.find(body, end)
    return (first if first >= 0 else _section_position(doc, body), "place", body)


def _is_name_char(char: str) -> bool:
    return bool(char) and ("一" <= char <= "龥" or char in "々ヶ")


def section_ends(text: str) -> tuple[int, int]:
    """Where the title line and the lead paragraph end in `AnalyzedDocument.text`."""
    title_end = text.find("\n")
    title_end = len(text) if title_end < 0 else title_end
    lead_end = text.find("\n", title_end + 1)
    return title_end, len(text) if lead_end < 0 else lead_end


def _place_forms(role: Role) -> tuple[str, ...]:
    """A role's jurisdiction as news writes it before a name: 静岡県 and, in a
    dateline or a headline, 静岡 (静岡・鈴木知事). 北海道 and 東京都 are not cut:
    北海 is no place, and 東京 is the capital in national news."""
    forms: list[str] = []
    for place in (role.organization, role.region):
        if not place or place == "国":
            continue
        forms.append(place)
        if place[-1] in "県府市" and len(place) > 2:
            forms.append(place[:-1])
    return tuple(forms)


def _places(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """Jurisdictions a politician without a roles table governs, read from
    their own pledges (都が負担, 横浜市立中学校, 道内に集める): the body that acts
    for them. A place more than one politician's pledges name stands for none."""
    found: dict[str, set[str]] = {}
    for politician in catalog.politicians:
        if politician.roles:
            continue
        text = unicodedata.normalize(
            "NFKC",
            " ".join(f"{p.title} {p.description} {' '.join(p.keywords)}" for p in catalog.pledges_of(politician.id)),
        )
        words = {m.group(1) or m.group(2) for m in _PLACE.finditer(text)}
        found[politician.id] = {w for w in words if w}
    owners: dict[str, int] = {}
    for words in found.values():
        for word in words:
            owners[word] = owners.get(word, 0) + 1
    return {pid: tuple(sorted(w for w in words if owners[w] == 1)) for pid, words in found.items()}


def _forms_of(politician: Politician, tokenizer: Tokenizer, places: tuple[str, ...] = ()) -> _Forms:
    name = fold_variants(unicodedata.normalize("NFKC", politician.name).replace(" ", "").replace("\u3000", ""))
    if politician.is_party:
        names = (name, *(unicodedata.normalize("NFKC", a) for a in politician.aliases))
        return _Forms(politician.id, full=tuple(sorted(set(names), key=len, reverse=True)), surnames=(),
                      roles=politician.roles, places=places)
    full = {name}
    surnames = {a for a in politician.aliases if name.startswith(a) and a != name}
    parsed = tokenizer.surname(name)
    if parsed is not None:
        surnames.add(parsed[0])
        full.add(f"{parsed[0]} {name[len(parsed[0]):]}")  # 佐藤 栄一, as some outlets space it
        if len(parsed[1]) > 2:
            surnames.add(parsed[1])
    if not surnames and len(name) > 2:
        surnames.add(politician.surname)
    if politician.reading:
        reading = unicodedata.normalize("NFKC", politician.reading).replace(" ", "")
        full.update({reading, _katakana(reading)})
    return _Forms(
        politician_id=politician.id,
        full=tuple(sorted(full, key=len, reverse=True)),
        surnames=tuple(sorted(surnames, key=len, reverse=True)),
        roles=politician.roles,
        places=places,
    )


# Old and variant forms of kanji that names are written in (髙島 for 高島, 田久保眞紀
# for 田久保真紀, 﨑 for 崎), which NFKC leaves apart: one character for one, so
# positions in the text hold.
_OLD_FORMS = "髙﨑嵜眞邊邉澤濱濵齋齊德惠廣國櫻嶋冨藏實壽榮彌淺瀨曾黑槗桒栁"
_VARIANTS = str.maketrans(_OLD_FORMS, "高崎崎真辺辺沢浜浜斎斉徳恵広国桜島富蔵実寿栄弥浅瀬曽黒橋桑柳")
_VARIANT = re.compile(f"[{_OLD_FORMS}]")


def fold_variants(text: str) -> str:
    """A name as the catalog and the article may each write it."""
    return text.translate(_VARIANTS) if _VARIANT.search(text) else text


def _folded_terms(doc: AnalyzedDocument) -> set[str]:
    terms = doc.terms()
    return {fold_variants(t) for t in terms} if _VARIANT.search(doc.text) else terms


def _section_position(doc: AnalyzedDocument, term: str) -> int:
    """A stand-in text position for a term found through the section counts:
    0 in the title, just after it in the lead, else past the end."""
    if term in doc.title_counts:
        return 0
    if term in doc.lead_counts:
        return doc.text.find("\n") + 1
    return len(doc.text)


def _titles(roles: Iterable[Role]) -> frozenset[str]:
    """A role's titles and the generic word they end in (財務大臣 → 大臣,
    内閣官房長官 → 官房長官): news writes 片山大臣 as often as 片山財務大臣."""
    words = {word for role in roles for word in (role.title, *role.aliases)}
    return frozenset(words | {g for g in map(_generic_title, words) if g})


@cache
def _generic_title(word: str) -> str | None:
    ends = [t for t in TITLES if word.endswith(t) and len(t) < len(word)]
    return max(ends, key=len) if ends else None


def _title_words(match: re.Match[str]) -> frozenset[str]:
    """The title after a name as the lexicon knows it (大臣) and as written,
    with its organisation (財務大臣, 大阪府知事), which is what a role calls it."""
    if not match.group(1):
        return frozenset()
    return frozenset({match.group(1), match.group(0).lstrip("前元新現")})


def _common(surname: str) -> bool:
    """A surname that alone names nobody in particular: a frequent one, or one
    character (森, 林, 原 are words of their own)."""
    return len(surname) == 1 or surname in common_surnames()


def _is_kanji(text: str) -> bool:
    return all("一" <= c <= "龥" or c == "々" for c in text)


def _katakana(text: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)
