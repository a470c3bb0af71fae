from crawling.robots import RobotsRules

UA = "pledgewatch/0.1 (+https://example.org)"


def test_our_group_wins_and_fractional_delays_are_kept():
    rules = RobotsRules("User-agent: *\nCrawl-delay: 5\nDisallow: /a/\n\nUser-agent: pledgewatch\n"
                        "Crawl-delay: 0.5\nDisallow: /b/\n", UA)
    assert rules.crawl_delay == 0.5
    assert rules.allowed("https://x.jp/a/1") and not rules.allowed("https://x.jp/b/1")


def test_missing_robots_allows_and_unreachable_robots_forbids():
    assert RobotsRules.from_response(404, None, UA).allowed("https://x.jp/any")
    assert not RobotsRules.from_response(503, None, UA).allowed("https://x.jp/any")
    assert not RobotsRules.from_response(None, None, UA).allowed("https://x.jp/any")
