"""The console's pages as Jinja2 renders them (画面), and the words they share.

Autoescaped; every page gets the signed-in caller and the session's CSRF token for its
forms. Labels are Japanese, for the operators of a 健保組合 who use it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from generator.api.guards import SESSION
from generator.api.sessions import Session
from generator.domain.era import wareki_long

HERE = Path(__file__).resolve().parent
_PAGES = Jinja2Templates(directory=HERE / "templates")

#: A run kind's name on screen (交付の種類).
KIND_LABELS = {
    "enrolment": "新規加入（資格情報のお知らせ・資格確認書）",
    "mass-issue": "一斉交付（資格確認書の更新）",
    "ex-officio": "職権交付（資格確認書）",
    "turning-70": "70歳到達（高齢受給者証）",
    "reissue": "再交付",
}
STATE_LABELS = {"queued": "待機中", "running": "作成中", "done": "完了", "failed": "失敗"}
#: The manifest's counts, in the order and words the run's page shows them.
COUNT_LABELS = {
    "records": "対象レコード",
    "delivered": "作成済み",
    "errors": "エラー",
    "without_documents": "帳票なし",
    "deliveries": "送付単位",
    "pages": "ページ",
    "preflight_violations": "検版の指摘",
}


def wareki(day: date | str) -> str:
    """令和7年12月1日 for a date or its ISO text; the text as it is when not a date."""
    try:
        return wareki_long(day if isinstance(day, date) else date.fromisoformat(day))
    except ValueError:
        return str(day)


def size(count: int) -> str:
    """A byte count as an operator reads it: 256 MiB, 256 KiB."""
    return f"{count / 1048576:,.0f} MiB" if count >= 1048576 else f"{count / 1024:,.0f} KiB"


_PAGES.env.filters["wareki"] = wareki
_PAGES.env.filters["size"] = size
_PAGES.env.filters["thousands"] = lambda n: f"{int(n):,}"
_PAGES.env.globals.update(kinds=KIND_LABELS, states=STATE_LABELS, count_labels=COUNT_LABELS)


def session_of(request: Request) -> Session | None:
    found: Session | None = request.scope.get(SESSION)
    return found


def page(request: Request, name: str, status: int = 200, **context: object) -> HTMLResponse:
    """A console page; no caching, and no framing by another site."""
    session = session_of(request)
    context |= {
        "caller": session.caller if session else None,
        "csrf": session.csrf if session else "",
    }
    response = _PAGES.TemplateResponse(request, name, context, status_code=status)
    response.headers["cache-control"] = "no-store"
    response.headers["x-frame-options"] = "DENY"
    response.headers["content-security-policy"] = (
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"
    )
    return response
