"""A run's state and folder: owner-only whatever the umask; kept when the run can be resumed,
gone when its input was refused while it was read."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.batch import RunConfig, RunKind, run, runner
from generator.errors import ConverterUnavailableError, DataError, ProfileError
from generator.render.convert.base import FakeConverter


@contextlib.contextmanager
def _umask(mask: int) -> Iterator[None]:
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


def _modes(folder: Path) -> dict[str, int]:
    return {
        str(path.relative_to(folder.parent)): stat.S_IMODE(path.stat().st_mode)
        for path in [folder, *folder.rglob("*")]
    }


def _assert_owner_only(folder: Path) -> None:
    for name, mode in _modes(folder).items():
        assert mode == (0o700 if (folder.parent / name).is_dir() else 0o600), (name, oct(mode))


def _refused_halfway(config: RunConfig) -> RunConfig:
    """A run whose input is refused after ~100 members were read into the state: the first
    member turning 70 needs a facility QR, and no signing keys were given (ProfileError)."""
    return dataclasses.replace(config, kind=RunKind.TURNING_70, keys=None)


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o277])
def test_every_output_is_owner_only_whatever_the_umask(config: RunConfig, mask: int) -> None:
    with _umask(mask):
        run(config, converter=FakeConverter())
    _assert_owner_only(config.out)


def test_a_run_refused_while_its_input_is_read_leaves_nothing(config: RunConfig) -> None:
    with pytest.raises(ProfileError, match="signing keys"):
        run(_refused_halfway(config), converter=FakeConverter())
    assert not config.out.exists()  # no state with the members read before the refusal


def test_an_input_refused_before_any_member_leaves_nothing(
    config: RunConfig, tmp_path: Path
) -> None:
    headless = tmp_path / "no-ids.csv"
    headless.write_text("name,birth_date\n山田 太郎,1980-01-01\n", encoding="utf-8")
    with pytest.raises(DataError, match="record_id"):
        run(dataclasses.replace(config, input=headless), converter=FakeConverter())
    assert not config.out.exists()


@pytest.mark.parametrize("make", [lambda path: None, lambda path: path.mkdir()])
def test_an_input_that_cannot_be_read_is_a_data_error_naming_the_file(
    config: RunConfig, tmp_path: Path, make
) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "members.csv"  # gone since the command line checked it, or a folder
    make(missing)
    with pytest.raises(DataError, match=r"members\.csv.*cannot be read"):
        run(dataclasses.replace(config, input=missing), converter=FakeConverter())
    assert not config.out.exists()


def test_a_refused_run_leaves_a_folder_it_did_not_make(config: RunConfig) -> None:
    config.out.mkdir()
    with pytest.raises(ProfileError):
        run(_refused_halfway(config), converter=FakeConverter())
    assert config.out.is_dir()
    assert list(config.out.iterdir()) == []
    run(config, converter=FakeConverter())  # the cause fixed: the folder takes a run


def test_an_interrupted_run_keeps_its_state_owner_only_for_resume(config: RunConfig) -> None:
    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with _umask(0o000), pytest.raises(KeyboardInterrupt):
        run(config, converter=FakeConverter(), progress=interrupt)
    assert (config.work_dir / "state.sqlite").exists()
    _assert_owner_only(config.out)
    counts = run(dataclasses.replace(config, resume=True), converter=FakeConverter())
    assert counts["records"] == 160
    assert not config.work_dir.exists()


@pytest.mark.parametrize("resume", [False, True])
def test_a_planned_run_whose_libreoffice_does_not_start_keeps_its_state(
    config: RunConfig, monkeypatch: pytest.MonkeyPatch, resume: bool
) -> None:
    """Pass 1 done, the pool's start failed: the state is the run's progress, not a refusal
    of its input, and --resume continues it once LibreOffice starts."""

    def no_libreoffice(*_: object) -> None:
        raise ConverterUnavailableError("LibreOffice did not start")

    if resume:  # an interrupted run, planned and partly rendered, resumed while it is broken
        interrupted = _interrupted(config)
        config = dataclasses.replace(interrupted, resume=True)
    monkeypatch.setattr(runner, "LibreOfficePool", no_libreoffice)
    with pytest.raises(ConverterUnavailableError):
        run(config)
    assert (config.work_dir / "state.sqlite").exists()
    run(dataclasses.replace(config, resume=True), converter=FakeConverter())
    assert (config.out / "manifest.json").exists()


def _interrupted(config: RunConfig) -> RunConfig:
    def interrupt(done: int, total: int) -> None:
        if done:
            raise KeyboardInterrupt

    with contextlib.suppress(KeyboardInterrupt):
        run(config, converter=FakeConverter(), progress=interrupt)
    assert (config.work_dir / "state.sqlite").exists()
    return config
