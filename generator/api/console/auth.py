"""Signing in and out of the console (サインイン・サインアウト), and the CSRF check.

Sign-in exchanges an API key for a session (``sessions``). Its own form is protected before
any session exists by a double-submit token: a random value in a SameSite=Strict cookie
and in the form, which another site's page can neither read nor send together.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from generator.api.console.views import page, session_of
from generator.api.service import Service, service_of
from generator.api.sessions import COOKIE, PATH, SIGNIN_COOKIE, Session, cookie_value, same
from generator.api.settings import caller

router = APIRouter(prefix=PATH, include_in_schema=False)


def _set_cookie(request: Request, response: Response, name: str, value: str) -> None:
    response.set_cookie(
        name, value, path=PATH, httponly=True, samesite="strict",
        secure=request.url.scheme == "https",
    )  # fmt: skip


def signed_in(request: Request) -> Session:
    """The request's session (the middleware let no request in without one)."""
    session = session_of(request)
    if session is None:
        raise HTTPException(401, "not signed in")
    return session


def _same_site(request: Request) -> bool:
    """Whether a form was sent from this site's own page, as far as the browser says
    (Origin, sent with every POST by current browsers; absent: no browser, nothing to ride)."""
    origin = request.headers.get("origin")
    return origin is None or origin == f"{request.url.scheme}://{request.url.netloc}"


def checked(request: Request, csrf: Annotated[str, Form()] = "") -> Session:
    """The session of a form that carries its CSRF token and comes from this site."""
    session = signed_in(request)
    if not _same_site(request):
        raise HTTPException(403, "the form came from another site")
    if not same(csrf, session.csrf):
        raise HTTPException(403, "the form's token is missing or stale: reload the page")
    return session


def _signin_page(request: Request, status: int = 200, problem: str | None = None) -> Response:
    token = secrets.token_urlsafe(24)
    response = page(request, "signin.html", status, signin_token=token, problem=problem)
    _set_cookie(request, response, SIGNIN_COOKIE, token)
    return response


@router.get("", response_class=RedirectResponse)
def home() -> RedirectResponse:
    return RedirectResponse(f"{PATH}/runs", 303)


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request) -> Response:
    if session_of(request) is not None:
        return RedirectResponse(f"{PATH}/runs", 303)
    return _signin_page(request)


@router.post("/signin", response_class=HTMLResponse)
def signin(
    request: Request,
    service: Annotated[Service, Depends(service_of)],
    api_key: Annotated[str, Form()] = "",
    signin_token: Annotated[str, Form()] = "",
) -> Response:
    expected = cookie_value(request.scope["headers"], SIGNIN_COOKIE) or ""
    if not signin_token or not same(signin_token, expected) or not _same_site(request):
        return _signin_page(request, 403, "画面の有効期限が切れました。もう一度入力してください。")
    name = caller(api_key, service.key_hashes) if api_key.strip() else None
    if name is None:
        return _signin_page(request, 401, "APIキーが正しくありません。")
    # A session the browser held before is ended, never carried over to the new caller.
    service.sessions.close(cookie_value(request.scope["headers"], COOKIE))
    token, _ = service.sessions.open(name)
    response = RedirectResponse(f"{PATH}/runs", 303)
    _set_cookie(request, response, COOKIE, token)
    response.delete_cookie(SIGNIN_COOKIE, path=PATH)
    return response


@router.post("/signout", response_class=RedirectResponse)
def signout(
    request: Request,
    service: Annotated[Service, Depends(service_of)],
    _: Annotated[Session, Depends(checked)],
) -> RedirectResponse:
    # The cookie the middleware took (the first of that name), not Starlette's last.
    service.sessions.close(cookie_value(request.scope["headers"], COOKIE))
    response = RedirectResponse(f"{PATH}/signin", 303)
    response.delete_cookie(COOKIE, path=PATH)
    return response
