"""The bundled demo site is what the foundation issue promises."""

from catalog.load import load_catalog
from classifiers.evaluation import read_gold_jsonl
from demosite.render import feed_entries
from demosite.site import load_site
from pledgewatch.settings import DATA, DEMO_SITE


def test_demo_site_content_and_labels():
    site = load_site(DEMO_SITE)
    catalog = load_catalog(DATA / "pledges.toml")
    labels = read_gold_jsonl(DEMO_SITE / "labels.jsonl")
    assert len(site.articles) >= 80 and len(site.outlets) >= 5
    assert {a.id for a in site.articles} == set(labels)
    assert sum(1 for ids in labels.values() if not ids) / len(labels) >= 0.40
    pledge_ids = {p.id for p in catalog.pledges}
    assert set().union(*labels.values()) <= pledge_ids
    texts = "".join(a.title + a.body for a in site.articles)
    mentioned = {p.id for p in catalog.politicians if p.surname in texts}
    assert len(mentioned) >= 8
    assert {o.encoding for o in site.outlets} >= {"utf-8", "shift_jis", "euc-jp"}
    assert {o.feed for o in site.outlets} >= {"rss2", "atom", "rdf", "sitemap"}
    assert {f.kind for f in site.faults} >= {"robots", "not_found", "server_error", "redirect", "truncated"}


def test_a_feed_links_the_robots_disallowed_path():
    site = load_site(DEMO_SITE)
    linked = {path for outlet in site.outlets for path, *_ in feed_entries(site, outlet)}
    assert any(path.startswith(prefix) for path in linked for prefix in site.robots_disallow)
