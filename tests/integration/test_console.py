"""The operator's console in a real browser: Debian's Chromium driven by Playwright against
the real service with real LibreOffice. Each page's screenshot is written to
tests/integration/screenshots/ (not committed) for a reviewer to look at."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import ROOT, SAMPLE
from tests.integration.processes import service_env, serving

pytestmark = pytest.mark.libreoffice
CHROMIUM = Path("/usr/bin/chromium")
#: As the machine's own notes start Chromium: no sandbox as root, and none of its background
#: connections, which a closed network refuses many at a time.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = ROOT / "tests" / "integration" / "screenshots"
KEY_A, KEY_B = "console-browser-key-a-0123", "console-browser-key-b-0123"
LIMIT = 256 * 1024


class Console(NamedTuple):
    base: str
    browser: Browser
    log: Path


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    if not CHROMIUM.is_file():
        pytest.fail("Debian's chromium is not installed: `make test` installs it")
    folder = tmp_path_factory.mktemp("console")
    env = service_env(
        folder / "var", GENERATOR_API_KEYS=f"{KEY_A},{KEY_B}", GENERATOR_MAX_UPLOAD_BYTES=str(LIMIT)
    )
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    with serving(env, folder / "service.log") as (base, _), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield Console(base, browser, folder / "service.log")
        browser.close()


#: What every page is checked for as its screenshot is taken: Japanese as its language,
#: a label for each control a person fills in, a text alternative for each picture, and one
#: h1.
_ACCESSIBLE = """() => {
  const found = [];
  if (document.documentElement.lang !== "ja") found.push("lang");
  for (const c of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
    if (!c.labels || c.labels.length === 0) found.push(`no label: ${c.id || c.name}`);
  }
  for (const img of document.querySelectorAll("img")) {
    if (!img.hasAttribute("alt")) found.push(`no alt: ${img.src}`);
  }
  if (document.querySelectorAll("h1").length !== 1) found.push("h1");
  return found;
}"""


def _shot(page: Page, name: str) -> None:
    assert page.evaluate(_ACCESSIBLE) == [], name
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def _sign_in(page: Page, base: str, key: str) -> None:
    page.goto(f"{base}/console")
    expect(page).to_have_url(f"{base}/console/signin")
    page.get_by_label("APIキー").fill(key)
    page.get_by_role("button", name="サインイン").click()
    expect(page.get_by_role("heading", name="一括作成の一覧")).to_be_visible()


def test_an_operator_runs_the_sample_from_upload_to_zip(console: Console, tmp_path: Path) -> None:
    base = console.base
    context = console.browser.new_context(
        viewport={"width": 1280, "height": 800}, accept_downloads=True, locale="ja-JP"
    )
    page = context.new_page()
    page.goto(f"{base}/console")
    page.get_by_label("APIキー").fill("not-a-key")
    page.keyboard.press("Enter")
    expect(page.locator("#api_key-problem")).to_have_text("APIキーが正しくありません。")
    _shot(page, "01-signin-refused")
    _sign_in(page, base, KEY_A)
    _shot(page, "02-runs-empty")

    page.get_by_role("link", name="新しい一括作成").first.click()
    page.get_by_label("交付年月日").fill("2025-12-01")
    expect(page.locator("#issue_date-wareki")).to_have_text("令和7年12月1日")
    too_large = tmp_path / "too-large.csv"
    too_large.write_bytes(b"x" * (LIMIT + 1))
    page.get_by_label(re.compile("会員ファイル")).set_input_files(too_large)
    expect(page.locator("#records-size")).to_have_text("ファイルが大きすぎます（上限 256 KB）。")
    _shot(page, "03-new-run-too-large")
    page.get_by_label(re.compile("会員ファイル")).set_input_files(SAMPLE / "bulk.csv")
    expect(page.locator("#records-size")).to_be_hidden()
    page.get_by_label("保険者").select_option("kenpo-fy3")
    page.get_by_label("交付の種類").select_option("enrolment")
    _shot(page, "04-new-run")
    page.get_by_role("button", name="作成を開始").click()

    # Progress as the server pushes it: a page count with its total, before the reload.
    expect(page.locator("#pages")).to_have_text(
        re.compile(r"^[1-9][\d,]*ページ中[\d,]+ページ$"), timeout=120_000
    )
    _shot(page, "05-run-progress")
    expect(page.get_by_role("heading", name="結果")).to_be_visible(timeout=300_000)
    run_id = page.url.rsplit("/", 1)[1]
    _shot(page, "06-run-done")
    page.set_viewport_size({"width": 768, "height": 1024})
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    _shot(page, "06-run-done-tablet")
    page.set_viewport_size({"width": 1280, "height": 800})
    errors = page.locator("#errors tbody tr")
    expect(errors).to_have_count(4)
    expect(errors.first).to_contain_text("M011-0000020")
    rows = page.locator("#deliveries tbody tr")
    expect(rows).to_have_count(31)
    postcodes = rows.locator("td:nth-child(2)").all_inner_texts()
    assert postcodes == sorted(postcodes)
    thumb = rows.first.locator("img.thumb")
    thumb.scroll_into_view_if_needed()
    expect(thumb).to_have_js_property("complete", True)
    assert thumb.evaluate("img => img.naturalWidth") > 0

    rows.first.get_by_role("link", name="表示", exact=True).click()
    page.get_by_role("link", name="次のページ →").first.click()
    expect(page.get_by_text("2 / ", exact=False).first).to_be_visible()
    image = page.locator("#page-image")
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") > 800
    _shot(page, "07-viewer")
    page.go_back()
    page.go_back()

    with page.expect_download() as zipped:
        page.get_by_role("link", name="すべての送付物（ZIP）").click()
    with page.expect_download() as manifest_download:
        page.get_by_role("link", name="送付物一覧（manifest.json）").click()
    manifest = json.loads(Path(manifest_download.value.path()).read_text(encoding="utf-8"))
    with zipfile.ZipFile(zipped.value.path()) as archive:
        found = {
            i.filename: hashlib.sha256(archive.read(i)).hexdigest() for i in archive.infolist()
        }
    assert found == {entry["file"]: entry["sha256"] for entry in manifest["files"]}
    with page.expect_download() as errors_download:
        page.get_by_role("link", name="エラー一覧（errors.csv）").click()
    assert "M011-0000045" in Path(errors_download.value.path()).read_text(encoding="utf-8")

    page.get_by_role("link", name="一括作成の一覧", exact=True).click()
    expect(page.locator(f'a[href="/console/runs/{run_id}"]')).to_be_visible()
    expect(page.get_by_text("完了")).to_be_visible()
    _shot(page, "08-runs")

    kept = context.cookies()
    page.get_by_role("button", name="サインアウト").click()
    expect(page).to_have_url(f"{base}/console/signin")
    replay = console.browser.new_context()
    replay.add_cookies(kept)  # a session copied before sign-out opens nothing
    replayed = replay.new_page()
    replayed.goto(f"{base}/console/runs/{run_id}")
    expect(replayed).to_have_url(f"{base}/console/signin")

    other = console.browser.new_context().new_page()
    _sign_in(other, base, KEY_B)
    expect(other.get_by_text("まだ一括作成はありません。")).to_be_visible()
    answer = other.goto(f"{base}/console/runs/{run_id}")
    assert answer is not None
    assert answer.status == 404
    for opened in (context, replay, other.context):
        opened.close()
    # The service's log names no delivery by its postcode and holds no member's name.
    logged = console.log.read_text(encoding="utf-8")
    assert "/deliveries/000001_" in logged
    for entry in manifest["files"]:
        assert entry["file"].removeprefix("deliveries/") not in logged
    assert "鈴木" not in logged


def test_a_template_change_is_proofed_beside_the_last_proof(
    console: Console, tmp_path: Path
) -> None:
    context = console.browser.new_context(viewport={"width": 1280, "height": 800}, locale="ja-JP")
    page = context.new_page()
    _sign_in(page, console.base, KEY_A)
    page.get_by_role("link", name="テンプレートの校正").click()
    page.get_by_label("交付年月日").fill("2025-12-01")
    _shot(page, "09-proofs")
    page.get_by_role("button", name="校正を作成").click()
    expect(page.locator("#verdict")).to_have_text("検版の指摘はありません。", timeout=300_000)
    expect(page.locator("section.doc")).to_have_count(9)
    _shot(page, "10-proof")

    edited = tmp_path / "cover-letter.docx"
    with (
        zipfile.ZipFile(ROOT / "templates" / "cover-letter.docx") as source,
        zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data.replace("同封書類".encode(), "同封している書類".encode())
            target.writestr(item, data)
    page.get_by_role("link", name="← テンプレートの校正に戻る").click()
    page.get_by_label("交付年月日").fill("2025-12-01")
    page.get_by_label(re.compile("編集したテンプレート")).set_input_files(edited)
    page.get_by_role("button", name="校正を作成").click()
    expect(page.locator("#verdict")).to_be_visible(timeout=300_000)
    expect(page.locator("section.doc")).to_have_count(1)
    expect(page.locator("#changes")).to_have_text(re.compile(r"前の校正との違い: [1-9]\d*ページ"))
    zoom = page.locator("figure.zoom img").first
    expect(zoom).to_have_js_property("complete", True)
    assert zoom.evaluate("img => img.naturalWidth") > 0
    diff = page.locator("img.diff").first
    diff.scroll_into_view_if_needed()
    expect(diff).to_have_js_property("complete", True)
    assert diff.evaluate("img => img.naturalWidth") > 0
    expect(
        page.get_by_text(re.compile(r"差分（[0-9.]+% の画素が変化、赤枠の中）")).first
    ).to_be_visible()
    _shot(page, "11-proof-compared")
    context.close()


def test_the_pages_fit_a_tablet_and_work_from_the_keyboard(console: Console) -> None:
    context = console.browser.new_context(
        viewport={"width": 768, "height": 1024}, has_touch=True, locale="ja-JP"
    )
    page = context.new_page()
    page.goto(f"{console.base}/console/signin")
    expect(page.get_by_label("APIキー")).to_be_focused()
    page.keyboard.type(KEY_A)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="一括作成の一覧")).to_be_visible()
    page.keyboard.press("Tab")  # the skip link first, then the menu
    expect(page.locator(".skip")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="一括作成の一覧", exact=True)).to_be_focused()
    for name, path in (
        ("12-tablet-runs", "/console/runs"),
        ("13-tablet-new", "/console/runs/new"),
        ("14-tablet-proofs", "/console/proofs"),
    ):
        page.goto(f"{console.base}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 768, f"{path} scrolls sideways on a tablet ({width} px)"
        _shot(page, name)
    context.close()
