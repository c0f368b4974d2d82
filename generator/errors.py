"""The one exception tree of the generator.

::

    GeneratorError
    ├── DataError          a member record is wrong: names the record and the field
    ├── ProfileError       an insurer profile is wrong: names the file and the key
    ├── TemplateError      a DOCX template does not fit its document
    ├── ConversionError    LibreOffice failed (ConversionTimeoutError, ConverterUnavailableError)
    ├── QueueFullError     the service has more documents waiting than it takes (HTTP 429)
    ├── OutputError        an output could not be written (FolderInUseError: another run's)
    ├── DistributedError   the broker refused us, or a worker's result was refused
    └── TokenError         a facility token that does not verify, or unusable signing keys

Adapters translate the tree in one place: the CLI prints ``Name: message`` and exits
non-zero; the HTTP API maps it to JSON bodies.

Messages never carry the values of a record: names, 記号・番号 and the individual number
(マイナンバー) must not reach a log through an error message.
"""

from __future__ import annotations


class GeneratorError(Exception):
    """Base of every error the generator raises on purpose."""


class DataError(GeneratorError):
    """A member record that cannot be used (入力データの誤り).

    ``record`` is the record's ``record_id`` (or ``line N`` when the record has none) and
    ``field`` the column at fault; ``message`` says what is wrong without echoing the value.
    """

    def __init__(self, record: str, field: str, message: str) -> None:
        self.record = record
        self.field = field
        self.message = message
        super().__init__(f"record {record}, field {field}: {message}")


class ProfileError(GeneratorError):
    """An insurer profile (保険者設定) that cannot be used."""

    def __init__(self, source: str, key: str, message: str) -> None:
        self.source = source
        self.key = key
        self.message = message
        super().__init__(f"profile {source}, key {key}: {message}")


class TemplateError(GeneratorError):
    """A DOCX template that does not fit its document's context."""


class ConversionError(GeneratorError):
    """LibreOffice could not convert a document."""


class ConversionTimeoutError(ConversionError):
    """A conversion ran past its hard time limit."""


class ConverterUnavailableError(ConversionError):
    """LibreOffice is not installed or does not start."""


class QueueFullError(GeneratorError):
    """More single-document requests are waiting than the service takes (HTTP 429)."""


class OutputError(GeneratorError):
    """An output file or folder could not be written."""


class FolderInUseError(OutputError):
    """The run's folder is another live run's (実行中の別の作成が使用中): its state is left
    as it is, for that run."""


class DistributedError(GeneratorError):
    """Distributed mode (分散実行) failed: the broker refused the connection (password,
    certificate) or cannot be reached, or a worker's result failed the coordinator's checks.
    Messages show the broker's URL with its password masked."""


class TokenError(GeneratorError):
    """A facility QR's token (施設利用トークン) that does not verify (forged, malformed, an
    unknown key id), or a key ring that cannot be used. ``verify`` raises it for a token a
    caller gave; the token's dates are checked apart (``TokenClaims.why_not_current``)."""
