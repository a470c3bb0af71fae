"""What moderators read after acting: short Japanese sentences with English
where a non-Japanese-speaking admin would need it."""

from __future__ import annotations

from datetime import datetime

from storage.decisions import Conflict, Decision, LinkContext

ACTION_LABELS = {
    "approve": "承認", "reject": "却下", "relink": "付け替え", "skip": "スキップ", "undo": "取り消し",
}


def when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "日時不明"


def label(action: str | None) -> str:
    return ACTION_LABELS.get(action or "", action or "")


def done(decision: Decision, context: LinkContext | None) -> str:
    title = f"「{context.article_title}」" if context else ""
    if decision.action == "relink" and context:
        return f"付け替えました：{title} → 「{context.relinked_title}」"
    if decision.action == "undo":
        return f"取り消しました：{title}（キューに戻りました）"
    return f"{label(decision.action)}しました：{title}"


def conflict(found: Conflict | None) -> str:
    if found is None:
        return "この項目の状態が変わっています。ページを再読み込みしてください。(This item changed; reload the page.)"
    if found.kind == "decided":
        return (f"既に {found.moderator} さんが{label(found.action)}しています（{when(found.at)}）。"
                f"上書きしていません。(Already decided by {found.moderator}; nothing was overwritten.)")
    if found.kind == "undone":
        return (f"この判定は既に {found.moderator} さんが取り消しています（{when(found.at)}）。"
                f"(Already undone by {found.moderator}.)")
    return (f"その後 {found.moderator} さんが{label(found.action)}したため、取り消していません。"
            f"(Decided again by {found.moderator} since; not undone.)")


REASONS = {
    "unknown-action": "その操作はありません。(Unknown action.)",
    "no-suggestion": "この候補は見つかりません。ページを再読み込みしてください。(No such suggestion.)",
    "same-pledge": "付け替え先に別の公約を選んでください。(Choose another pledge.)",
    "no-pledge": "付け替え先の公約が見つかりません。(No such pledge.)",
    "nothing-to-undo": "取り消せる判定はありません。(Nothing to undo.)",
    "not-yours": "他の人の判定を取り消せるのは管理者だけです。(Only admins undo others' decisions.)",
    "undo-of-undo": "取り消しは取り消せません。もう一度判定してください。(An undo cannot be undone; decide again.)",
}


def refused(reason: str) -> str:
    return REASONS.get(reason, "この操作はできませんでした。(Not done.)")


BUSY = ("データベースが夜間処理で使用中です。入力は残っています。数秒後にもう一度お試しください。"
        "(The database is busy with the nightly run; your input is kept. Try again in a few seconds.)")
NOTHING_SELECTED = "項目が選ばれていません。x キーかチェックボックスで選んでください。(Nothing selected.)"
NOT_PENDING = ("この候補はもう確認待ちではありません（判定済みか、見つかりません）。キューに戻って次の候補へ。"
               "(No longer pending: decided already, or not found.)")
