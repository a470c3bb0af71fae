"""Word lists the tokenizer and the recogniser share.

They describe Japanese political news in general (offices, honorifics, party
names, recent coinages), not any one catalog, so they carry over to politicians
and pledges we have never seen.
"""

from __future__ import annotations

# Lemmas that occur in almost every news article and say nothing about its topic:
# reporting verbs, datelines, formal nouns, and the verbs unidic lemmatises to kanji
# (する → 為る, いる → 居る, なる → 成る, こと → 事).
_STOP_TEXT = """
為る 有る 居る 成る 言う 思う 見る 出来る 行く 来る 呉れる 貰う 遣る 置く
仕舞う 頂く 下さる 良い 無い 多い 少ない 強い 大きい 小さい 欲しい 易い
難い 違う 付く 付ける 掛ける 持つ 出す 入れる 述べる 語る 話す 記す 示す
伝える 明かす 因る 答える 問う 聞く 受ける 考える 求める 見せる 至る 迎える
事 物 為 様 方 所 時 訳 筈 積もり 儘 辺 通り 等 達 毎 位 程 丈 限り 他 外
中 上 下 前 後 際 点 面 間 内 以上 以下 以外 以降 以来 同 本 当 今 各 約
計 第 全 初 次 別 的 性 化 氏 さん 君 殿 者 人 側 これ それ あれ どれ
此れ 其れ 彼れ 何 誰 自分 我々 私 彼 彼女 皆 方々 皆さん
年 月 日 週 今日 昨日 明日 本日 同日 今年 昨年 去年 来年 今月 先月 来月
今週 先週 来週 午前 午後 朝 夜 夕方 当日 翌日 前日 現在 今後 今回 前回
次回 一方 同様 同時 最初 最後 場合 必要 記者 撮影 写真 提供 配信 取材
会見 記者会見 発表 報道 関係者 関係 担当 見通し 考え 意向 方針 姿勢
明らか 可能 問題 状況 対応 検討 実施 予定 開始 決定 発言 説明 強調 表明
指摘 批判 要請 要望 主張 共同 時事 共同通信 時事通信 ロイター 朝日 読売
毎日 日経 産経 東京新聞 新聞 ニュース 記事 速報 ページ サイト 続き 全文
有料 会員 登録 ログイン 広告 コメント シェア 関連 一覧 トップ
"""
STOPWORDS = frozenset(_STOP_TEXT.split())

# Words after a surname that make it a reference to a person in office or a
# candidate: 高市首相, 小池都知事, 吉村大阪府知事, 玉木代表, 石破前首相.
_TITLE_TEXT = """
内閣総理大臣 総理大臣 総理 首相 知事 市長 区長 町長 村長 副大臣 大臣 政務官 長官
官房長官 官房副長官 首相補佐官 代表 共同代表 代表代行 党首 総裁 副総裁 幹事長
政調会長 総務会長 国対委員長 委員長 議長 会長 議員 衆院議員 参院議員 市議 県議
都議 府議 道議 候補 政権 内閣 外相 防衛相 財務相 経産相 厚労相 文科相 農相 農水相
国交相 環境相 法相 総務相 復興相 経済再生相 経済安保相 デジタル相 こども相
少子化相 防災相 沖縄相 万博相 担当相 元首相 前首相
"""
TITLES = tuple(_TITLE_TEXT.split())

# Polite suffixes that mark a personal name in news text (石破氏, 野田さん).
HONORIFICS = ("氏", "さん", "様", "君")

# Offices whose holder is meant when the word stands alone (「首相は」「知事は」);
# used to resolve a bare title through the roles table or to the person named
# with that title elsewhere in the same article.
BARE_TITLES = (
    "内閣総理大臣",
    "総理大臣",
    "総理",
    "首相",
    "知事",
    "市長",
    "区長",
    "町長",
    "村長",
    "代表",
    "党首",
    "総裁",
    "幹事長",
    "官房長官",
)

# Terms unidic-lite splits across particles or symbols, kept as one term so a
# pledge about 「年収の壁」 matches an article about it and not every article
# that mentions 年収 and 壁 apart: the user dictionary, applied after tagging.
PHRASES = (
    "年収の壁",
    "103万円の壁",
    "106万円の壁",
    "130万円の壁",
    "178万円の壁",
    "政治とカネ",
    "企業・団体献金",
    "大阪・関西万博",
    "異次元の少子化対策",
    "こども家庭庁",
    "こども未来戦略",
    "働き方改革",
    "新しい資本主義",
    "地方創生2.0",
    "骨太の方針",
    "ふるさと納税",
    "マイナ保険証",
    "マイナンバーカード",
    "日本維新の会",
    "れいわ新選組",
    "チームみらい",
    "日本保守党",
    "参政党",
    "立憲民主党",
    "国民民主党",
    "自由民主党",
    "公明党",
    "日本共産党",
    "社会民主党",
    "都民ファーストの会",
    "大阪維新の会",
    "安保3文書",
    "安保関連3文書",
    "敵基地攻撃能力",
    "反撃能力",
    "GDP比2%",
    "防衛費増額",
    "アベノミクス",
    "サナエノミクス",
    "物価高対策",
    "給付付き税額控除",
    "トリガー条項",
    "暫定税率",
    "選択的夫婦別姓",
    "同性婚",
    "少子化対策",
    "子ども・子育て支援金",
    "高校無償化",
    "給食無償化",
    "首都直下地震",
    "南海トラフ",
    "能登半島地震",
    "副首都構想",
    "統合型リゾート",
)

# What acts for the holder of a national office in news: 政府は…, 内閣が…
# Used for offices learnt from articles, where no roles table names the bodies.
_CABINET = ("政府", "内閣", "官邸", "首相官邸")
OFFICE_BODIES = {"首相": _CABINET, "総理": _CABINET, "総理大臣": _CABINET, "内閣総理大臣": _CABINET}

# What tells a policy act from other political news, matched in the NFKC text
# (many are stop-words for topical matching, 決定 or 方針, yet they say an act
# took place). General Japanese news language: decisions, bills, budgets,
# programmes and their setbacks...
_POLICY_TEXT = """
閣議決定 閣議 決定 方針 法案 改正案 法改正 条例 予算 補正予算 概算要求 税制改正 大綱 提出 成立 可決
施行 導入 創設 新設 設置 廃止 撤廃 無償化 無償 引き上げ 引き下げ 引上げ 引下げ 減税 増税 給付 支給
助成 補助 支援 整備 着手 制度 策定 合意 協議 指示 表明 検討 計画 戦略 政策 公約 目標 実現 開始
拡充 拡大 削減 縮小 見直し 見送り 先送り 延期 断念 撤回 否決 廃案 凍結 骨子 提言 原案 素案 審議
"""
POLICY_CUES = tuple(_POLICY_TEXT.split())
# ...and news about politicians that is not about a policy: elections,
# resignations and personnel, scandals and apologies, polls, incidents.
_POLITICS_TEXT = """
選挙 選挙戦 当選 落選 投開票 投票 出馬 立候補 公示 告示 擁立 公認 演説 辞任 辞職 退陣 続投 不出馬
総裁選 代表選 首相指名 組閣 内閣改造 人事 就任 任命 起用 解散 不信任 謝罪 陳謝 おわび 釈明 不祥事
裏金 疑惑 不正 逮捕 起訴 判決 告発 百条委員会 パワハラ 支持率 世論調査 議席 襲撃 事件 失言
"""
POLITICS_CUES = tuple(_POLITICS_TEXT.split())

# ...and others reacting to someone's act rather than acting: criticism,
# objections, requests and bids, questions in the Diet, court rulings.
_REACTION_TEXT = """
批判 反発 反対 懸念 疑問視 異論 苦言 問題視 追及 質問 代表質問 要望 要請 求める 求め 申し入れ 陳情
誘致 名乗り 提訴 訴訟 判決 抗議 不満 注文 けん制 牽制
"""
REACTION_CUES = tuple(_REACTION_TEXT.split())
