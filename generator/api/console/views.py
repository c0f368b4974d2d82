"""The console's pages as Jinja2 renders them (画面), and the words they share.

Autoescaped; every page gets the signed-in caller and the session's CSRF token for its
forms. Labels are Japanese, for the operators of a 健保組合 who use it.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Collection
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse, StreamingResponse
from fastapi.templating import Jinja2Templates

from generator.api.guards import SESSION
from generator.api.sessions import Session
from generator.domain.era import wareki_long

HERE = Path(__file__).resolve().parent
#: The operators' clock: times on the pages are Japan's, whatever the server's zone.
JAPAN = ZoneInfo("Asia/Tokyo")
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
    "without_documents": "帳票の対象外",
    "deliveries": "送付物",
    "pages": "ページ",
    "preflight_violations": "検版の指摘",
}
#: A member file's columns as the error table names them (項目名).
FIELD_LABELS = {
    "record_id": "レコードID", "employer_code": "事業所コード", "employer_name": "事業所名",
    "employer_postcode": "事業所郵便番号", "employer_address": "事業所所在地",
    "insured_symbol": "記号", "insured_number": "番号", "branch_number": "枝番",
    "name": "氏名", "name_kana": "氏名カナ", "birth_date": "生年月日", "sex": "性別",
    "relationship": "続柄", "insured_name": "被保険者氏名", "acquired_date": "資格取得日",
    "standard_monthly_remuneration": "標準報酬月額", "membership": "加入区分",
    "voluntary_until": "任意継続の終了日", "home_postcode": "自宅郵便番号",
    "home_address": "自宅住所", "has_myna_card": "マイナ保険証の有無",
    "certificate_requested": "資格確認書の申請", "certificate_reason": "申請理由",
    "base_income_applied": "基準収入額適用申請", "requested_document": "申請帳票",
    "insured_birth_date": "被保険者生年月日", "(json)": "JSONの行",
}  # fmt: skip


def wareki(day: date | str) -> str:
    """令和7年12月1日 for a date or its ISO text; the text as it is when not a date."""
    try:
        return wareki_long(day if isinstance(day, date) else date.fromisoformat(day))
    except ValueError:
        return str(day)


def size(count: int) -> str:
    """A byte count as an operator reads it (in units of 1,024): 256 MB, 256 KB."""
    return f"{count / 1048576:,.0f} MB" if count >= 1048576 else f"{count / 1024:,.0f} KB"


_PAGES.env.filters["wareki"] = wareki
_PAGES.env.filters["size"] = size
_PAGES.env.filters["thousands"] = lambda n: f"{int(n):,}"
_PAGES.env.globals.update(
    kinds=KIND_LABELS, states=STATE_LABELS, count_labels=COUNT_LABELS, fields=FIELD_LABELS
)


def received(path: str | Path) -> str:
    """When the service received a run's or a proof's files (受付日時, Japan's time), from
    their folder: the one record of it, read for display only."""
    try:
        stamp = Path(path).stat().st_mtime
    except OSError:
        return "–"
    return datetime.fromtimestamp(stamp, JAPAN).strftime("%Y-%m-%d %H:%M")


_PAGES.env.filters["received"] = received


#: How often a progress stream reads its state. A stream ends after STREAM_SECONDS and the
#: browser opens it again (EventSource does, after RETRY_MS): no stream outlives a service
#: that is stopping for longer than that.
TICK, STREAM_SECONDS, RETRY_MS = 0.5, 30.0, 1000


def event_stream(request: Request, read: Callable[[], dict[str, object]]) -> StreamingResponse:
    """Server-Sent Events of what ``read`` returns (read in a thread, off the event loop,
    every ``TICK``): a ``progress`` event each time it changes, and ``end`` once its
    ``state`` is done or failed."""

    async def stream() -> AsyncIterator[str]:
        yield f"retry: {RETRY_MS}\n\n"
        last = None
        ends = time.monotonic() + STREAM_SECONDS
        while not await request.is_disconnected() and time.monotonic() < ends:
            state = await asyncio.to_thread(read)
            if state != last:
                yield f"event: progress\ndata: {json.dumps(state)}\n\n"
                last = state
            if state["state"] in ("done", "failed"):
                yield f"event: end\ndata: {json.dumps({'state': state['state']})}\n\n"
                return
            await asyncio.sleep(TICK)

    headers = {"cache-control": "no-store", "x-accel-buffering": "no"}
    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)


def insurer_and_date(
    profiles: Collection[str], profile: str, issue_date: str, problems: dict[str, str]
) -> date | None:
    """The two fields every console form has, the insurer (保険者) and the issue date
    (交付年月日): the date, or None with each problem put beside its field in ``problems``."""
    if profile not in profiles:
        problems["profile"] = "保険者を選んでください。"
    try:
        return date.fromisoformat(issue_date)
    except ValueError:
        problems["issue_date"] = "交付年月日を YYYY-MM-DD で入力してください。"
        return None


def session_of(request: Request) -> Session | None:
    found: Session | None = request.scope.get(SESSION)
    return found


def page(request: Request, name: str, status: int = 200, **context: object) -> HTMLResponse:
    """A console page; no caching, and no framing by another site. Its menu marks the
    section the path is in."""
    session = session_of(request)
    path = request.url.path
    section = "proofs" if "/proofs" in path else "new" if path.endswith("/runs/new") else "runs"
    context |= {
        "section": section,
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
