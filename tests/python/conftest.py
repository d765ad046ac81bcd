"""Fixtures for the casevault Python tests.

Stores are created with the "testing" KDF (8 KiB Argon2id) or a raw key so
that each test opens its store in milliseconds.
"""

import os

import pytest

import casevault

PASSPHRASE = "correct horse battery staple"
KEY = bytes(range(32))


def open_store(path, **kwargs):
    """casevault.open with the fast test KDF unless told otherwise."""
    if "key" not in kwargs and "passphrase" not in kwargs:
        kwargs["passphrase"] = PASSPHRASE
    if "passphrase" in kwargs:
        kwargs.setdefault("kdf", "testing")
    return casevault.open(path, **kwargs)


def store_files(path):
    """The store file and every companion file next to it (-wal, -shm, ...)."""
    path = os.fspath(path)
    d, base = os.path.split(path)
    return sorted(os.path.join(d, n) for n in os.listdir(d or ".") if n.startswith(base))


def leaks(path, canaries):
    """(file, needle) pairs: every canary, in any case and as UTF-8 or
    UTF-16, that can be read in the store's files."""
    needles = set()
    for c in canaries:
        for form in (c, c.lower(), c.upper()):
            for enc in ("utf-8", "utf-16-le", "utf-16-be"):
                needles.add(form.encode(enc))
    found = []
    for f in store_files(path):
        with open(f, "rb") as fh:
            data = fh.read()
        found.extend((os.path.basename(f), n) for n in needles if n in data)
    return found


def subprocess_env():
    """The environment for a child interpreter that must import this same
    casevault package (PYTHONPATH made absolute)."""
    env = dict(os.environ)
    pkg_parent = os.path.dirname(os.path.dirname(os.path.abspath(casevault.__file__)))
    parts = [pkg_parent] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join(parts)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


@pytest.fixture
def store_path(tmp_path):
    """A path for a new store in a fresh directory."""
    return tmp_path / "cases.db"


@pytest.fixture
def vault(store_path):
    """An open passphrase store (testing KDF), closed after the test."""
    v = open_store(store_path)
    try:
        yield v
    finally:
        v.close()


@pytest.fixture
def key_vault(store_path):
    """An open raw-key store, closed after the test."""
    v = casevault.open(store_path, key=KEY)
    try:
        yield v
    finally:
        v.close()


@pytest.fixture
def vw(store_path):
    """The records world (records_world.build) under the VisaPro policy."""
    from records_world import build

    w = build(store_path, "visapro.json")
    try:
        yield w
    finally:
        w.vault.close()


@pytest.fixture
def cw(store_path):
    """The records world under the Case Parallels policy."""
    from records_world import build

    w = build(store_path, "case-parallels.json")
    try:
        yield w
    finally:
        w.vault.close()


# ---- retention (test_retention*.py) ---------------------------------------------


def confirm_codes(vault):
    """The one-time codes of the confirm_request notifications in the
    outbox, by subject, oldest first. They are acknowledged, so each code
    is returned once; other notifications are left leased."""
    codes = {}
    for n in vault.outbox.poll(limit=10000):
        if n.kind == "confirm_request":
            assert isinstance(n.payload.get("code"), str) and n.payload["code"]
            codes.setdefault(n.subject, []).append(n.payload["code"])
            vault.outbox.ack(n)
    return codes
