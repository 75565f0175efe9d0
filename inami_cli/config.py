"""TOML configuration: resolution, defaults, validation, editing with comments kept.

Resolution (first found wins): ``--config PATH``, ``$INAMI_CONFIG``, ``./inami.toml``, the
user config directory (``$XDG_CONFIG_HOME/inami-cli/inami.toml``). A missing file means
defaults. ``INAMI_DATABASE_URL`` and ``INAMI_FORMAT`` override single keys.

The schema below is the single source of the defaults and their documentation:
``config/inami.toml`` is ``render_default_config()`` (a test compares them).
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inami_cli.domain.errors import ConfigError


@dataclass(frozen=True)
class Key:
    """One configuration key: its type, default, allowed values and documentation."""

    section: str
    name: str
    type: type
    default: Any
    doc: str
    choices: tuple[str, ...] = ()

    @property
    def dotted(self) -> str:
        return f"{self.section}.{self.name}"


SECTION_DOCS: dict[str, str] = {
    "database": "Where the data lives.",
    "output": "How results are printed.",
    "locale": "Language of labels.",
    "rules": "How strictly business rules are applied.",
    "audit": "Who is recorded as the author of changes, and what is logged.",
}

SCHEMA: tuple[Key, ...] = (
    Key(
        "database",
        "url",
        str,
        "",
        "SQLAlchemy URL. Empty: a SQLite file in the user data directory\n"
        "# ($XDG_DATA_HOME/inami-cli/inami.db). PostgreSQL, shared by several people and jobs:\n"
        '# "postgresql+psycopg://user:password@host:5432/inami".\n'
        "# Overridden by $INAMI_DATABASE_URL.",
    ),
    Key(
        "database",
        "busy_timeout_ms",
        int,
        5000,
        "How long a writer waits for another writer before giving up with exit 6 (SQLite).",
    ),
    Key(
        "output",
        "format",
        str,
        "table",
        "Default output format: table, json, ndjson or csv. Overridden by $INAMI_FORMAT.",
        ("table", "json", "ndjson", "csv"),
    ),
    Key(
        "output",
        "table_style",
        str,
        "simple",
        "tabulate table style: simple, plain, github, grid, pipe, rounded_outline, ...",
    ),
    Key("locale", "language", str, "fr", "Labels shown first: fr or nl.", ("fr", "nl")),
    Key(
        "rules",
        "missing_tariff",
        str,
        "error",
        'No tariff on the date asked: "error" (exit 3) or "warn" (answer with a warning).',
        ("error", "warn"),
    ),
    Key(
        "audit",
        "operator",
        str,
        "",
        "Name recorded as the author of every change. Empty: the operating-system user.",
    ),
    Key(
        "audit",
        "log_consultations",
        bool,
        False,
        "Keep a log of every answer given about a person (who asked, when, what).",
    ),
)

KEYS: dict[str, Key] = {k.dotted: k for k in SCHEMA}
TABLE_STYLES = (
    "plain", "simple", "github", "grid", "simple_grid", "rounded_grid", "fancy_grid", "pipe",
    "orgtbl", "presto", "pretty", "psql", "rst", "rounded_outline", "simple_outline",
    "heavy_outline", "mixed_outline", "double_outline", "fancy_outline", "outline",
)  # fmt: skip

# user:password@ (the user may be empty: ``postgresql://:secret@host/db``)
_PASSWORD_IN_URL = re.compile(r"(://[^:/@?#\s]*:)([^@\s]*)(@)")
# ?password=... in the query (libpq and psycopg read it there too), up to the next
# parameter, a quote (a quoted command line) or white space
_PASSWORD_IN_QUERY = re.compile(r"([?&](?:password|passwd|pwd|sslpassword)=)([^&#'\"\s]*)", re.I)


def mask_url(url: str) -> str:
    """Hide the passwords of a database URL (``postgresql://u:***@h/db``,
    ``postgresql://h/db?user=u&password=***``), or of any text quoting one."""
    return _PASSWORD_IN_QUERY.sub(r"\1***", _PASSWORD_IN_URL.sub(r"\1***\3", url))


def user_config_path() -> Path:
    """The configuration file in the user config directory."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "inami-cli" / "inami.toml"


def default_database_url() -> str:
    """A SQLite file in the user data directory."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return f"sqlite:///{Path(base) / 'inami-cli' / 'inami.db'}"


@dataclass(frozen=True)
class Settings:
    """The effective configuration and where each part came from."""

    values: Mapping[str, Any]
    path: Path | None  # the file read, None when defaults only
    overridden: tuple[str, ...] = field(default_factory=tuple)  # keys set by the environment

    def get(self, dotted: str) -> Any:
        """The value of a ``section.key``."""
        if dotted not in KEYS:
            raise ConfigError(f"unknown configuration key {dotted!r}")
        return self.values[dotted]

    @property
    def database_url(self) -> str:
        return str(self.values["database.url"]) or default_database_url()

    @property
    def busy_timeout_ms(self) -> int:
        return int(self.values["database.busy_timeout_ms"])

    @property
    def operator(self) -> str:
        """The recorded author of a change: the OS user, whatever the configuration says."""
        return _os_user()

    @property
    def declared_operator(self) -> str:
        """``[audit] operator``: recorded beside the OS user, never instead of it."""
        return str(self.values["audit.operator"])

    @property
    def language(self) -> str:
        return str(self.values["locale.language"])


def _os_user() -> str:
    """The account running the process, from the user database: not $USER or $LOGNAME,
    which anybody can set (getpass.getuser reads those first)."""
    import pwd  # only writes need it (start-up time of the read commands)

    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except (KeyError, OSError):  # no passwd entry (containers)
        return f"uid:{os.getuid()}"


def resolve_path(explicit: Path | None, env: Mapping[str, str]) -> Path | None:
    """The configuration file to read, or None for defaults only."""
    if explicit is not None:
        return explicit
    if env.get("INAMI_CONFIG"):
        return Path(env["INAMI_CONFIG"])
    local = Path("inami.toml")
    if local.is_file():
        return local
    user = user_config_path()
    return user if user.is_file() else None


def _line_of(text: str, section: str, name: str | None) -> int:
    """The 1-based line of ``[section]`` or of ``name =`` inside it (1 if not found)."""
    current = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            current = stripped.strip("[]").strip()
            if name is None and current == section:
                return number
        elif current == section and name and re.match(rf"{re.escape(name)}\s*=", stripped):
            return number
    return 1


def check_value(key: Key, value: Any) -> Any:
    """Validate a value for *key*; return it, or raise ``ConfigError`` naming the type."""
    expected = key.type
    ok = isinstance(value, expected) and not (expected is int and isinstance(value, bool))
    if not ok:
        raise ConfigError(f"{key.dotted}: expected {expected.__name__}, got {value!r}")
    if key.choices and value not in key.choices:
        raise ConfigError(f"{key.dotted}: {value!r} is not one of {', '.join(key.choices)}")
    if key.dotted == "output.table_style" and value not in TABLE_STYLES:
        raise ConfigError(
            f"{key.dotted}: {value!r} is not a table style ({', '.join(TABLE_STYLES)})"
        )
    if key.dotted == "database.busy_timeout_ms" and not 0 <= value <= MAX_BUSY_TIMEOUT_MS:
        # PostgreSQL's lock_timeout takes at most 2^31-1 ms: a larger value broke every
        # write there; an hour is already longer than any writer should hold the database
        raise ConfigError(
            f"{key.dotted}: must be from 0 to {MAX_BUSY_TIMEOUT_MS} (one hour), got {value}"
        )
    if key.dotted == "database.url" and value:
        check_database_url(value)
    return value


MAX_BUSY_TIMEOUT_MS = 3_600_000
DATABASE_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg")


def check_database_url(url: str) -> str:
    """*url* if its scheme is one inami works with, else ``ConfigError`` (exit 5) naming
    the accepted ones (``http://...`` used to end in a driver error)."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in DATABASE_SCHEMES:
        raise ConfigError(
            f"database URL {mask_url(url)!r}: unsupported scheme {scheme or '(none)'!r}; "
            "accepted: sqlite:///PATH, postgresql://... or postgresql+psycopg://..."
        )
    return url


def parse_file(path: Path) -> dict[str, Any]:
    """Read and validate a configuration file into ``{"section.key": value}``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    try:
        data = tomllib.loads(text)
    except RecursionError:  # tomllib recurses per nested array or inline table
        raise ConfigError(f"{path}: TOML nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11's TOMLDecodeError has no lineno: it is only in the message.
        found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        line = int(found.group(1)) if found else 1
        message = str(exc).split(" (at line")[0].split(" (at end")[0]
        raise ConfigError(f"{path}:{line}: {message}") from None
    values: dict[str, Any] = {}
    for section, table in data.items():
        if section not in SECTION_DOCS or not isinstance(table, dict):
            raise ConfigError(
                f"{path}:{_line_of(text, section, None)}: unknown section [{section}]"
            )
        for name, value in table.items():
            dotted = f"{section}.{name}"
            if dotted not in KEYS:
                line = _line_of(text, section, name)
                raise ConfigError(f"{path}:{line}: unknown key {dotted!r}")
            try:
                values[dotted] = check_value(KEYS[dotted], value)
            except ConfigError as exc:
                raise ConfigError(
                    f"{path}:{_line_of(text, section, name)}: {exc.message}"
                ) from None
    _warn_if_exposed(path, values)
    return values


WARNINGS: list[str] = []


def _warn_if_exposed(path: Path, values: Mapping[str, Any]) -> None:
    """Warn when a file holding a database password can be read by others."""
    url = str(values.get("database.url", ""))
    if mask_url(url) == url:
        return
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        WARNINGS.append(
            f"{path}: holds a database password and is readable by others (chmod 600 {path})"
        )


def load_settings(explicit: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Resolve, read and validate the configuration, then apply environment overrides."""
    environ = os.environ if env is None else env
    path = resolve_path(explicit, environ)
    values: dict[str, Any] = {k.dotted: k.default for k in SCHEMA}
    if path is not None:
        values.update(parse_file(path))
    overridden: list[str] = []
    if environ.get("INAMI_DATABASE_URL"):
        values["database.url"] = environ["INAMI_DATABASE_URL"]
        overridden.append("database.url")
    if environ.get("INAMI_FORMAT"):
        fmt = environ["INAMI_FORMAT"]
        try:
            values["output.format"] = check_value(KEYS["output.format"], fmt)
        except ConfigError as exc:
            raise ConfigError(f"$INAMI_FORMAT: {exc.message}") from None
        overridden.append("output.format")
    if environ.get("INAMI_BUSY_TIMEOUT_MS"):  # as --wait, for every command of a job
        key = KEYS["database.busy_timeout_ms"]
        try:
            values[key.dotted] = check_value(key, coerce(key, environ["INAMI_BUSY_TIMEOUT_MS"]))
        except ConfigError as exc:
            raise ConfigError(f"$INAMI_BUSY_TIMEOUT_MS: {exc.message}") from None
        overridden.append(key.dotted)
    return Settings(values=values, path=path, overridden=tuple(overridden))


def coerce(key: Key, text: str) -> Any:
    """Turn a command-line string into the key's type (for ``config set``)."""
    if key.type is bool:
        lowered = text.strip().lower()
        if lowered in {"true", "yes", "1", "on"}:
            return True
        if lowered in {"false", "no", "0", "off"}:
            return False
        raise ConfigError(f"{key.dotted}: expected bool (true or false), got {text!r}")
    if key.type is int:
        try:
            return int(text)
        except ValueError:
            raise ConfigError(f"{key.dotted}: expected int, got {text!r}") from None
    return text


def render_default_config() -> str:
    """The documented default configuration file (``config/inami.toml``)."""
    import tomlkit

    lines = [
        "# inami-cli configuration. Every key is optional; the values below are the defaults.",
        "# Resolution: --config PATH, then $INAMI_CONFIG, then ./inami.toml, then",
        "# $XDG_CONFIG_HOME/inami-cli/inami.toml. Edit with `inami config set KEY VALUE`.",
    ]
    for section, doc in SECTION_DOCS.items():
        lines += ["", f"# {doc}", f"[{section}]"]
        for key in SCHEMA:
            if key.section == section:
                lines.append(f"# {key.doc}")
                lines.append(f"{key.name} = {tomlkit.item(key.default).as_string()}")
    return "\n".join(lines) + "\n"


def set_value(path: Path, dotted: str, text: str) -> Any:
    """Set one key in the file, keeping its comments and layout; create the file if needed."""
    import tomlkit

    if dotted not in KEYS:
        raise ConfigError(f"unknown configuration key {dotted!r} (known: {', '.join(KEYS)})")
    key = KEYS[dotted]
    value = check_value(key, coerce(key, text))
    if path.exists():
        parse_file(path)  # refuse to edit a broken file
        doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    else:
        doc = tomlkit.parse(render_default_config())
    table = doc.get(key.section)
    if table is None:
        table = tomlkit.table()
        doc[key.section] = table
    table[key.name] = value
    write_private(path, tomlkit.dumps(doc))
    return value


def write_private(path: Path, text: str) -> None:
    """Write a file readable by its owner only (it may hold a password)."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    # A fresh name in the target's directory, created 0600 with O_EXCL (mkstemp): nothing
    # planted at a predictable temporary path (a symlink) is ever written through; the
    # rename then replaces the file atomically.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
