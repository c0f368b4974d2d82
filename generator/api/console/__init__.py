"""The operator's console (操作画面): bulk runs and template proofs in a browser, at
``/console`` on the service itself.

Server-rendered HTML (Jinja2), one stylesheet and one small script served by the service
(no build step, no CDN). A caller signs in with an API key (``sessions``), then sees only
its own runs and proofs, as in the API.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import cast

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from generator.api.console import auth, proofs, run_files, runs_pages
from generator.api.console.views import HERE, page, size
from generator.api.guards import Send
from generator.api.sessions import PATH
from generator.render.fonts import FONTS_DIR

__all__ = ["install"]

#: What an error page says, by status: the words an operator can act on.
MESSAGES = {
    403: "フォームの有効期限が切れたか、別のサイトから送られました。画面を読み込み直してください。",
    404: "見つかりません（ほかの利用者のもの、または存在しないものです）。",
    409: "作成が終わっていません。終わってから開いてください。",
}

#: The pinned faces the pages are set in, served from fonts/: a browser without Japanese
#: fonts (a fresh server's, the tests' Chromium) shows the console as it is meant.
FACES = frozenset({"BIZUDGothic-Regular.ttf", "BIZUDGothic-Bold.ttf"})
_fonts = APIRouter(prefix=f"{PATH}/static/fonts", include_in_schema=False)


@_fonts.get("/{name}")
def font(name: str) -> FileResponse:
    if name not in FACES:
        raise HTTPException(404, "no such font")
    return FileResponse(FONTS_DIR / name, media_type="font/ttf",
                        headers={"cache-control": "public, max-age=86400"})  # fmt: skip


def install(app: FastAPI) -> None:
    """Add the console's pages and assets to the service's app."""
    api_errors = cast(
        "Callable[[Request, Exception], Awaitable[Response]]",
        app.exception_handlers[HTTPException],
    )

    async def http_error(request: Request, error: Exception) -> Response:
        """A console page's error as a page with the way back; the API's as before."""
        if not request.url.path.startswith(f"{PATH}/") or not isinstance(error, HTTPException):
            return await api_errors(request, error)
        words = MESSAGES.get(error.status_code, "画面を表示できませんでした。")
        return page(request, "error.html", error.status_code, code=error.status_code,
                    message=words)  # fmt: skip

    app.add_exception_handler(HTTPException, http_error)
    app.include_router(_fonts)
    for module in (auth, runs_pages, run_files, proofs):
        app.include_router(module.router)
    app.mount(f"{PATH}/static", StaticFiles(directory=HERE / "static"), name="console-static")


async def too_large(send: Send, limit: int) -> None:
    """The page for a form whose upload is over the limit (the middleware sends it before
    the body is read; the page's script stops such a file before it is sent at all)."""
    text = (
        '<!doctype html><html lang="ja"><meta charset="utf-8"><title>ファイルが大きすぎます</title>'
        f"<p>ファイルが大きすぎます（上限 {size(limit)}）。"
        f'<a href="{PATH}/runs/new">新しい一括作成に戻る</a></p></html>'
    )
    data = text.encode()
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", b"text/html; charset=utf-8"), (b"connection", b"close"),
        (b"content-length", str(len(data)).encode())]})  # fmt: skip
    await send({"type": "http.response.body", "body": data})
