"""What the routes share: settings, profiles, the converter, the coalescer, the runs."""

from __future__ import annotations

import logging
import threading
from datetime import date
from pathlib import Path
from typing import Annotated, BinaryIO

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from generator.api.coalesce import Coalescer
from generator.api.guards import CALLER
from generator.api.runs import DELIVERY_FILE, RUN_ID, RunManager, RunRow
from generator.api.sessions import Sessions
from generator.api.settings import Settings, caller
from generator.batch import RunKind
from generator.batch.batches import Batches
from generator.distributed import CeleryBatches
from generator.errors import ConverterUnavailableError, ProfileError
from generator.outputs import DIR_MODE
from generator.profiles import Profile, load_profile
from generator.records.scrub import scrub_upload
from generator.render.convert.base import Converter
from generator.render.convert.libreoffice import LibreOfficePool, PoolConfig
from generator.render.pipeline import Renderer

log = logging.getLogger("generator.api")
_API_KEY = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key.")
_BEARER = HTTPBearer(auto_error=False, description="The API key as a bearer token.")


class Service:
    """The service's parts; one per app."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.keys = settings.key_ring()
        self.key_hashes = settings.key_hashes()
        self.sessions = Sessions()
        self.pool: LibreOfficePool | None = None
        self.down: str | None = "LibreOffice is starting"
        self._profiles: dict[str, Profile] = {}
        self._profiles_lock = threading.Lock()
        self._coalescer: Coalescer | None = None
        # One Celery app for the service's life: each holds its own broker connections.
        self.remote: Batches | None = (
            None
            if settings.broker_url is None
            else CeleryBatches.connect(
                settings.broker_url,
                visibility_timeout=settings.visibility_timeout,
                slots=settings.workers,
            )
        )
        if not settings.data_dir.is_dir():
            settings.data_dir.mkdir(parents=True, mode=DIR_MODE)
            settings.data_dir.chmod(DIR_MODE)  # mkdir's mode passes through the umask
        self.runs = RunManager(
            settings.data_dir,
            self.profile,
            workers=settings.workers,
            keys=self.keys,
            converter=self.converter,
            batches=self.remote,
        )

    def start_converter(self) -> None:
        try:
            config = PoolConfig(workers=self.settings.workers, soffice=self.settings.soffice)
            self.pool = LibreOfficePool(config)
            self.down = None
        except ConverterUnavailableError as error:
            self.down = str(error)
            log.error("LibreOffice is unavailable: documents will answer 503")

    def start(self) -> None:
        if self.pool is not None:
            self._coalescer = Coalescer(
                Renderer(self.pool, keys=self.keys),
                # One batch more than converters: its DOCX is laid out in Python while both
                # converters run, so neither waits for the GIL-bound steps between batches
                # (8 clients: ~23 -> ~28 documents/s; two more made batches too small).
                slots=self.settings.workers + 1,
                window=self.settings.coalesce_window_ms / 1000,
                max_batch=self.settings.coalesce_max,
                limit=self.settings.queue_limit,
            )
            self._coalescer.start()
        self.runs.start()

    async def stop(self) -> None:
        self.runs.stop()
        if self._coalescer is not None:
            await self._coalescer.close()
        if self.pool is not None:
            self.pool.close()
        if self.remote is not None:
            self.remote.close()

    def converter(self) -> Converter:
        if self.pool is None:
            raise ConverterUnavailableError(self.down or "LibreOffice is not running")
        return self.pool

    def coalescer(self) -> Coalescer:
        if self._coalescer is None:
            raise ConverterUnavailableError(self.down or "LibreOffice is not running")
        return self._coalescer

    def submit_run(
        self, caller: str, records: BinaryIO, *, kind: RunKind, profile: str, issue: date
    ) -> RunRow:
        """Store an upload for a new run of ``caller``'s and queue it (the API's and the
        console's one way in). ProfileError for an unknown profile, DataError naming the
        line the upload cannot be read at: then nothing of it stays on disk."""
        self.profile(profile)
        run_id, folder = self.runs.folder()
        try:
            # Stored without the individual number, its format told from its bytes.
            upload = scrub_upload(records, folder)
            return self.runs.submit(
                run_id, caller, kind=kind, profile=profile, issue=issue, upload=upload
            )
        except BaseException:
            self.runs.discard(run_id)
            raise

    def run_of(self, run_id: str, caller: str) -> RunRow:
        """The caller's run; 404 for another caller's, as for one that does not exist."""
        row = self.runs.get(run_id, caller) if RUN_ID.fullmatch(run_id) else None
        if row is None:
            raise HTTPException(404, "no such run")
        return row

    def finished(self, run_id: str, caller: str) -> Path:
        """The outputs folder of the caller's run; 409 until it is done."""
        row = self.run_of(run_id, caller)
        if row.state != "done":
            raise HTTPException(409, f"the run is {row.state}")
        return Path(row.out)

    def delivery(self, run_id: str, caller: str, file: str) -> Path:
        """One delivery's PDF of the caller's finished run, by the name the manifest gives
        (a file not named as a delivery is not served, though it lies in the folder)."""
        path = self.finished(run_id, caller) / "deliveries" / file
        if not DELIVERY_FILE.fullmatch(file) or not path.is_file():
            raise HTTPException(404, "no such delivery")
        return path

    def profile_ids(self) -> list[str]:
        """The profiles the service offers: PROFILES_DIR's ``*.toml`` files, by id."""
        return sorted(p.stem for p in self.settings.profiles_dir.glob("*.toml"))

    def profile_names(self) -> dict[str, str]:
        """Each profile's id → its insurer's name (保険者名), as an operator knows it; the id
        alone for one that cannot be read."""
        names = {}
        for profile_id in self.profile_ids():
            try:
                names[profile_id] = self.profile(profile_id).insurer.name
            except ProfileError:
                names[profile_id] = profile_id
        return names

    def profile(self, profile_id: str) -> Profile:
        """An insurer profile by id: PROFILES_DIR/ID.toml, read once."""
        with self._profiles_lock:
            if profile_id not in self._profiles:
                path = self.settings.profiles_dir / f"{profile_id}.toml"
                if not profile_id.replace("-", "").replace("_", "").isalnum() or not path.is_file():
                    raise ProfileError(profile_id, "profile", "no such profile")
                self._profiles[profile_id] = load_profile(path)
            return self._profiles[profile_id]


def service_of(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def authorised(
    request: Request,
    service: Annotated[Service, Depends(service_of)],
    key: Annotated[str | None, Depends(_API_KEY)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)],
) -> str:
    """The caller's name; 401 without an accepted API key.

    ``RequireKey`` has checked the key before the body was read; the schemes here document
    it in OpenAPI, and check it again where an app runs without the middleware.
    """
    name: str | None = request.scope.get(CALLER)
    if name is None:
        presented = key or (bearer.credentials if bearer is not None else None)
        name = caller(presented, service.key_hashes) if presented else None
    if name is None:
        raise HTTPException(
            401, "a valid API key is needed", headers={"WWW-Authenticate": "Bearer"}
        )
    return name
