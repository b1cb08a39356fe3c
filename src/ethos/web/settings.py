"""Settings of the web application, and its secret key."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from ethos.domain.errors import InvalidInputError
from ethos.services.accounts import Throttle
from ethos.store.engine import default_database_url, default_evidence_dir

__all__ = [
    "MAX_BODY_BYTES",
    "MIN_SECRET_KEY",
    "SECRET_KEY_ENV",
    "UPLOAD_MARGIN_BYTES",
    "WebSettings",
    "load_secret_key",
]

SECRET_KEY_ENV = "ETHOS_SECRET_KEY"  # noqa: S105 - the variable's name
_KEY_FILE = "secret_key"
MIN_SECRET_KEY = 32
MAX_BODY_BYTES = 256 * 1024
UPLOAD_MARGIN_BYTES = 1024 * 1024  # multipart framing and the form's other fields
_MAX_LIMIT = 1 << 40


@dataclass(frozen=True)
class WebSettings:
    """Where the data is and how sessions behave.

    ``data_dir`` holds the generated secret key when none is given (``$ETHOS_SECRET_KEY``
    or ``secret_key``). ``secure_cookies``: ``None`` marks cookies ``Secure`` when the
    request came over HTTPS (behind a proxy, run uvicorn with ``--proxy-headers``);
    ``True`` always, ``False`` never. ``threads``: how many requests a process works on at
    once (``$ETHOS_THREADS``); the others wait their turn, which costs less than many threads
    taking turns at one interpreter.

    ``max_body_bytes``: the largest request body accepted (``$ETHOS_MAX_BODY_BYTES``, 256 KiB);
    ``max_upload_bytes``: the same for the routes that take an evidence file
    (``$ETHOS_MAX_UPLOAD_BYTES``; ``None``: the evidence policy's ``max_bytes`` plus
    :data:`UPLOAD_MARGIN_BYTES`). A larger body is answered with 413 before it is read whole.
    """

    database_url: str
    data_dir: Path
    evidence_dir: Path | None = None
    content_dir: Path | None = None
    secret_key: str | None = field(default=None, repr=False)
    secure_cookies: bool | None = None
    session_hours: int = 12
    default_lang: str = "en"
    threads: int = 8
    throttle: Throttle = field(default_factory=Throttle)
    max_body_bytes: int = MAX_BODY_BYTES
    max_upload_bytes: int | None = None

    def __post_init__(self) -> None:
        for name in ("max_body_bytes", "max_upload_bytes"):
            value = getattr(self, name)
            if value is not None and not 1 <= value <= _MAX_LIMIT:
                raise InvalidInputError(
                    f"{name}: {value} is not a size from 1 byte to 1 TiB",
                    ko=f"{name}: {value}은(는) 1바이트에서 1TiB 사이의 크기가 아닙니다",
                )

    @classmethod
    def from_env(cls, database_url: str | None = None) -> WebSettings:
        """Settings from ``ETHOS_*`` variables, with the CLI's database defaults."""
        url = database_url or default_database_url()
        data_dir = os.environ.get("ETHOS_DATA_DIR")
        secure = os.environ.get("ETHOS_SECURE_COOKIES", "").lower()
        content = os.environ.get("ETHOS_CONTENT_DIR")
        return cls(
            database_url=url,
            data_dir=Path(data_dir) if data_dir else default_evidence_dir(url).parent,
            content_dir=Path(content) if content else None,
            secure_cookies={"1": True, "true": True, "0": False, "false": False}.get(secure),
            default_lang=os.environ.get("ETHOS_LANG", "en"),
            threads=_threads(os.environ.get("ETHOS_THREADS", "8")),
            max_body_bytes=_size("ETHOS_MAX_BODY_BYTES") or MAX_BODY_BYTES,
            max_upload_bytes=_size("ETHOS_MAX_UPLOAD_BYTES"),
        )

    def resolved_evidence_dir(self) -> Path:
        return self.evidence_dir or default_evidence_dir(self.database_url)


def _threads(value: str) -> int:
    if not value.strip().isdigit() or not 1 <= int(value) <= 256:
        raise InvalidInputError(
            f"ETHOS_THREADS: {value[:10]!r} is not a whole number from 1 to 256",
            ko=f"ETHOS_THREADS: {value[:10]!r}은(는) 1에서 256 사이의 정수가 아닙니다",
        )
    return int(value)


def _size(variable: str) -> int | None:
    value = os.environ.get(variable, "").strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= _MAX_LIMIT:
        raise InvalidInputError(
            f"{variable}: {value[:20]!r} is not a size in bytes from 1 to {_MAX_LIMIT}",
            ko=f"{variable}: {value[:20]!r}은(는) 1에서 {_MAX_LIMIT} 사이의 바이트 크기가 아닙니다",
        )
    return int(value)


def _long_enough(key: str, where: str) -> str:
    if len(key) < MIN_SECRET_KEY:
        raise InvalidInputError(
            f"{where}: the secret key is too short ({MIN_SECRET_KEY} characters or more; "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'` makes one)",
            ko=f"{where}: 비밀 키가 너무 짧습니다({MIN_SECRET_KEY}자 이상 필요. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`로 만들 수 있습니다)",
        )
    return key


def load_secret_key(settings: WebSettings) -> str:
    """The key that signs session cookies: given, from the environment, or from
    ``data_dir/secret_key``, which is generated (mode 0600) on first run. A key shorter than
    :data:`MIN_SECRET_KEY` characters is refused, wherever it comes from."""
    if settings.secret_key:
        return _long_enough(settings.secret_key, "the secret_key setting")
    if key := os.environ.get(SECRET_KEY_ENV):
        return _long_enough(key, SECRET_KEY_ENV)
    path = settings.data_dir / _KEY_FILE
    if not path.exists():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another worker wrote it first
        else:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_urlsafe(48))
    return _long_enough(path.read_text(encoding="ascii").strip(), str(path))
