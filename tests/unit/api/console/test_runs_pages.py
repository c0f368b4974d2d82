"""The console's runs: the new run's form and its problems beside the fields, the list
newest first in pages, and a finished run's page, pictures, viewer and downloads."""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response
from PIL import Image

from tests.conftest import base_record
from tests.unit.api.console.conftest import KEY_A, browser, finished, make_app, owner, sign_in

CSV = (",".join(base_record()) + "\n" + ",".join(map(str, base_record().values())) + "\n").encode()
FORM = {"profile": "kenpo-fy3", "kind": "enrolment", "issue_date": "2025-12-01"}


def _submit(
    client: TestClient,
    csrf: str,
    records: tuple[str, bytes] | tuple[str, bytes, str] = ("members.csv", CSV, "text/csv"),
    **changes: str,
) -> Response:
    """The new-run form sent as the browser sends it, with ``changes`` to its fields."""
    return client.post(
        "/console/runs", data={**FORM, **changes, "csrf": csrf}, files={"records": records}
    )


def _problems(html: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="problem" id="([a-z_]+)-problem" role="alert">([^<]*)', html))


def test_the_form_offers_the_profiles_and_todays_date_in_wareki(app: FastAPI) -> None:
    client = browser(app)
    sign_in(client, KEY_A)
    html = client.get("/console/runs/new").text
    for profile in ("kenpo-fy3", "kenpo-windows", "kyosai"):
        assert f'<option value="{profile}"' in html
    assert re.search(r'id="issue_date-wareki"[^>]*>令和\d+年\d+月\d+日<', html)
    assert 'data-max-bytes="268435456"' in html


def test_a_run_is_stored_for_its_caller_and_its_page_follows(app: FastAPI) -> None:
    client = browser(app)
    csrf = sign_in(client, KEY_A)
    answer = _submit(client, csrf)
    assert answer.status_code == 303
    run_id = answer.headers["location"].rsplit("/", 1)[1]
    row = app.state.service.runs.get(run_id, owner(app, KEY_A))
    assert (row.state, row.kind, row.issue_date.isoformat()) == (
        "queued",
        "enrolment",
        "2025-12-01",
    )
    page = client.get(answer.headers["location"]).text
    assert f'data-events="/console/runs/{run_id}/events"' in page
    assert "待機中" in page


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"profile": "no-such"}, "profile", "保険者を選んでください"),
        ({"kind": "everything"}, "kind", "交付の種類を選んでください"),
        ({"issue_date": "R7.12.1"}, "issue_date", "YYYY-MM-DD"),
    ],
)
def test_a_refused_field_is_named_beside_it_and_nothing_is_kept(
    app: FastAPI, change: dict[str, str], field: str, words: str
) -> None:
    client = browser(app)
    csrf = sign_in(client, KEY_A)
    answer = _submit(client, csrf, **change)
    assert answer.status_code == 422
    assert words in _problems(answer.text)[field]
    assert 'aria-invalid="true"' in answer.text
    assert list(app.state.service.runs.root.iterdir()) == []


def test_an_unreadable_file_is_refused_beside_the_file_field(app: FastAPI) -> None:
    client = browser(app)
    csrf = sign_in(client, KEY_A)
    answer = _submit(client, csrf, records=("m.jsonl", b'{"record_id": 1}\n{broken\n'))
    assert answer.status_code == 422
    assert "line 2" in _problems(answer.text)["records"]
    assert list(app.state.service.runs.root.iterdir()) == []


def test_a_file_over_the_limit_gets_a_page_before_its_body_is_read(tmp_path: Path) -> None:
    app = make_app(tmp_path / "var", max_upload_bytes=2048)
    client = browser(app)
    csrf = sign_in(client, KEY_A)
    answer = _submit(client, csrf, records=("members.csv", b"x" * 4096))
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert "ファイルが大きすぎます" in answer.text


def test_the_list_is_newest_first_twenty_a_page(app: FastAPI) -> None:
    client = browser(app)
    sign_in(client, KEY_A)
    ids = [finished(app, owner(app, KEY_A), {}) for _ in range(23)]
    first, second = client.get("/console/runs").text, client.get("/console/runs?page=2").text
    shown = [
        re.findall(r'<a href="/console/runs/([0-9a-f]{24})">', page) for page in (first, second)
    ]
    assert shown == [ids[::-1][:20], ids[::-1][20:]]
    assert "全23件" in first
    assert 'rel="next"' in first
    assert 'rel="prev"' in second


@pytest.fixture
def done(app: FastAPI) -> tuple[TestClient, str]:
    client = browser(app)
    sign_in(client, KEY_A)
    run_id = finished(
        app,
        owner(app, KEY_A),
        {
            "000001_1000001_E00002.pdf": ("1000001", 2),
            "000002_0600042_E00001.pdf": ("0600042", 4),  # numbered before a postcode fix
            "000003_9000001_home-1.pdf": ("9000001", 2),
        },
    )
    return client, run_id


def test_a_finished_run_shows_its_errors_and_deliveries_in_postcode_order(
    done: tuple[TestClient, str],
) -> None:
    client, run_id = done
    html = client.get(f"/console/runs/{run_id}").text
    assert re.findall(r"〒(\d{3}-\d{4})", html) == ["060-0042", "100-0001", "900-0001"]
    assert "株式会社E00001" in html
    assert "自宅（任意継続・特例退職）" in html
    assert re.search(
        r'<td class="nowrap">M-0001</td><td>氏名<br><span class="iso">name</span></td>'
        r"<td>is missing</td>",
        html,
    )
    assert "data-events" not in html


def test_any_page_of_a_delivery_is_a_picture(done: tuple[TestClient, str], app: FastAPI) -> None:
    client, run_id = done
    base = f"/console/runs/{run_id}/deliveries/000002_0600042_E00001.pdf"
    thumb, page = client.get(f"{base}/pages/1.png?thumb=true"), client.get(f"{base}/pages/4.png")
    assert page.headers["content-type"] == "image/png"
    sizes = [Image.open(io.BytesIO(a.content)).size for a in (thumb, page)]
    assert sizes[0][0] < sizes[1][0]
    assert client.get(f"{base}/pages/5.png").status_code == 404
    viewer = client.get(f"{base}/view?page=3").text
    assert f'src="{base}/pages/3.png"' in viewer
    assert "3 / 4" in viewer
    assert client.get(f"{base}/view?page=5").status_code == 404
    # A file not named as a delivery is not served, though it lies in the folder.
    out = Path(app.state.service.runs.get(run_id, owner(app, KEY_A)).out)
    (out / "deliveries" / "notes.pdf").write_bytes(b"%PDF-")
    for name in ("notes.pdf", "notes.pdf/view", "notes.pdf/pages/1.png"):
        assert client.get(f"/console/runs/{run_id}/deliveries/{name}").status_code == 404


def test_the_downloads_are_the_runs_own_files(done: tuple[TestClient, str], app: FastAPI) -> None:
    client, run_id = done
    out = Path(app.state.service.runs.get(run_id, owner(app, KEY_A)).out)
    before = sorted(out.parent.rglob("*"))
    zipped = client.get(f"/console/runs/{run_id}/deliveries.zip")
    assert (
        zipped.headers["content-disposition"] == f'attachment; filename="deliveries-{run_id}.zip"'
    )
    archive = zipfile.ZipFile(io.BytesIO(zipped.content))
    assert archive.testzip() is None
    assert {i.filename: archive.read(i) for i in archive.infolist()} == {
        f"deliveries/{p.name}": p.read_bytes() for p in (out / "deliveries").iterdir()
    }
    # Made as it is sent, the same bytes each time, and nothing left on disk.
    assert client.get(f"/console/runs/{run_id}/deliveries.zip").content == zipped.content
    assert sorted(out.parent.rglob("*")) == before
    manifest = client.get(f"/console/runs/{run_id}/manifest.json")
    assert json.loads(manifest.content) == json.loads((out / "manifest.json").read_bytes())
    errors = client.get(f"/console/runs/{run_id}/errors.csv")
    assert errors.content == (out / "errors.csv").read_bytes()


def test_a_finished_runs_stream_says_so_and_ends(done: tuple[TestClient, str]) -> None:
    client, run_id = done
    with client.stream("GET", f"/console/runs/{run_id}/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        text = "".join(stream.iter_text())
    assert text.startswith("retry: 1000\n\nevent: progress\n")
    assert text.endswith('event: end\ndata: {"state": "done"}\n\n')


def test_deliveries_are_shown_a_hundred_a_page(app: FastAPI) -> None:
    client = browser(app)
    sign_in(client, KEY_A)
    files = {f"{n:06d}_{1000000 + n}_E{n:05d}.pdf": (str(1000000 + n), 2) for n in range(1, 106)}
    run_id = finished(app, owner(app, KEY_A), files)
    first = client.get(f"/console/runs/{run_id}").text
    second = client.get(f"/console/runs/{run_id}?page=2").text
    assert len(re.findall(r"〒\d{3}-\d{4}", first)) == 100
    assert re.findall(r"〒(\d{3}-\d{4})", second) == [f"100-{n:04d}" for n in range(101, 106)]
    assert "送付物（郵便番号順、105件）" in first


def test_a_large_delivery_streams_into_the_zip_block_by_block(tmp_path: Path) -> None:
    from generator.api.console.archive import deliveries_zip

    (tmp_path / "deliveries").mkdir()
    large = os.urandom(3 * 1024 * 1024 + 5)
    (tmp_path / "deliveries" / "000001_1000001_E00001.pdf").write_bytes(large)
    manifest = {"files": [{"file": "deliveries/000001_1000001_E00001.pdf"}]}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    parts = list(deliveries_zip(tmp_path))
    assert len(parts) > 3
    assert max(len(part) for part in parts) <= 1024 * 1024 + 1024
    archive = zipfile.ZipFile(io.BytesIO(b"".join(parts)))
    assert archive.read("deliveries/000001_1000001_E00001.pdf") == large


def test_a_running_runs_stream_moves_with_it_and_ends_for_the_browser_to_reopen(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.api.console import views

    monkeypatch.setattr(views, "STREAM_SECONDS", 1.2)
    monkeypatch.setattr(views, "TICK", 0.1)
    client = browser(app)
    csrf = sign_in(client, KEY_A)
    answer = _submit(client, csrf)
    run_id = answer.headers["location"].rsplit("/", 1)[1]
    manager = app.state.service.runs
    manager._set(run_id, state="running", pages_done=40, pages_total=100)
    with client.stream("GET", f"/console/runs/{run_id}/events") as stream:
        text = "".join(stream.iter_text())
    events = [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: ")]
    assert events == [{"state": "running", "done": 40, "total": 100, "rate": 0.0, "eta": None}]
    assert "event: end" not in text  # not finished: the browser opens the stream again


def test_a_manifest_written_before_employers_were_named_shows_their_codes(
    done: tuple[TestClient, str], app: FastAPI
) -> None:
    client, run_id = done
    out = Path(app.state.service.runs.get(run_id, owner(app, KEY_A)).out)
    manifest = json.loads((out / "manifest.json").read_text())
    for entry in manifest["files"]:
        del entry["employer"]
    (out / "manifest.json").write_text(json.dumps(manifest))
    html = client.get(f"/console/runs/{run_id}").text
    assert "E00001<br>" in html
    assert html.count("自宅（任意継続・特例退職）") == 1  # the household's only
