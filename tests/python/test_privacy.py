"""Nothing personal reaches the disk in clear: canary strings are searched for
in the raw bytes of the store and its companion files."""

import os
import subprocess
import sys
import textwrap

import casevault
from conftest import KEY, PASSPHRASE, leaks, open_store, store_files, subprocess_env

SQLITE_MAGIC = b"SQLite format 3\x00"

CANARY = dict(
    name="Qzxwv Canarypersona",
    email="qzxwv.canary7731@example.org",
    phone="+1 332 555 0199",
    address="77 Quixotic Canarylane, Zzyzx",
    company="Canaryworks Qzxwv Holdings",
)
# What a store might hold besides the exact input: normalised forms and parts.
NEEDLES = [
    "Canarypersona", "qzxwv", "canary7731", "Canarylane", "Quixotic", "Canaryworks",
    "3325550199", "332 555 0199",
]
CANARIES = NEEDLES + list(CANARY.values())


def test_canaries_never_on_disk(store_path):
    v = open_store(store_path)
    try:
        filler = v.accounts.create_many(
            [dict(name=f"Filler {i}", email=f"f{i}@example.com") for i in range(20)])
        a = v.accounts.create(**CANARY)
        v.accounts.get(a.id)
        v.accounts.find(email=CANARY["email"])
        v.accounts.find(phone=CANARY["phone"])
        # The store runs in WAL mode: the new pages are in -wal, not yet in
        # the main file. Make sure the companions are really searched.
        names = [os.path.basename(f) for f in store_files(store_path)]
        assert "cases.db-wal" in names and "cases.db-shm" in names, names
        assert leaks(store_path, CANARIES) == []          # while open, WAL in use

        v.accounts.update(a.id, company="Canaryworks Qzxwv Holdings 2")
        assert leaks(store_path, CANARIES) == []

        v.accounts.erase(a.id)
        assert leaks(store_path, CANARIES) == []          # after erase, still open
        assert len(filler) == 20
    finally:
        v.close()
    assert leaks(store_path, CANARIES) == []              # after close
    with open(store_path, "rb") as fh:
        assert fh.read(16) != SQLITE_MAGIC


def test_canaries_raw_key_store(store_path):
    with casevault.open(store_path, key=KEY) as v:
        a = v.accounts.create(**CANARY)
        assert leaks(store_path, CANARIES) == []
        v.accounts.erase(a.id)
        assert leaks(store_path, CANARIES) == []
    assert leaks(store_path, CANARIES) == []


def test_audit_holds_no_pii(vault):
    a = vault.accounts.create(**CANARY)
    vault.accounts.get(a.id)
    vault.accounts.find(email=CANARY["email"])
    text = repr(vault.audit.read(limit=100000)).lower()
    for n in NEEDLES:
        assert n.lower() not in text


def test_error_messages_hold_no_pii(vault):
    vault.accounts.create(**CANARY)
    try:
        vault.accounts.create(name="Other Qzxwv", email=CANARY["email"])
    except casevault.DuplicateError as e:
        msg = str(e).lower()
    else:
        raise AssertionError("expected DuplicateError")
    for n in NEEDLES:
        assert n.lower() not in msg


# Python's sqlite3 module (a plain SQLite, no codec) is loaded and used before
# casevault. The store must still be encrypted (or refused, never written in
# clear). Run in a fresh interpreter so that the import order is certain.
SQLITE_FIRST = textwrap.dedent("""
    import sqlite3, sys
    plain = sqlite3.connect(sys.argv[1])
    plain.execute("create table notes(x)")
    plain.execute("insert into notes values ('plain sqlite ok')")
    plain.commit()
    import casevault
    with casevault.open(sys.argv[2], passphrase=sys.argv[3], kdf="testing") as v:
        a = v.accounts.create(**{canary!r})
        assert v.accounts.get(a.id).email == {email!r}
        print("created", a.id)
        # plain SQLite still works next to casevault
        assert plain.execute("select x from notes").fetchone()[0] == "plain sqlite ok"
        plain.execute("insert into notes values ('again')")
        plain.commit()
        v.accounts.create(name="Second", email="second@example.com")
    plain.close()
    print("done")
""").format(canary=CANARY, email=CANARY["email"])


def test_plain_sqlite_loaded_first(tmp_path):
    plain = tmp_path / "plain.db"
    store = tmp_path / "cases.db"
    out = subprocess.run([sys.executable, "-c", SQLITE_FIRST, str(plain), str(store), PASSPHRASE],
                         env=subprocess_env(), capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "done" in out.stdout
    with open(store, "rb") as fh:
        assert fh.read(16) != SQLITE_MAGIC
    assert leaks(store, CANARIES) == []
    with open(plain, "rb") as fh:
        assert fh.read(16) == SQLITE_MAGIC   # the host's own db is untouched
    with open_store(store) as v:
        assert v.accounts.count() == 2
        assert v.accounts.find(email=CANARY["email"]) is not None


def test_type_errors_never_repeat_personal_data_or_secrets(tmp_path):
    import casevault
    import pytest
    secret = "correct horse canary-passphrase"
    with pytest.raises(TypeError) as e:
        casevault.open(tmp_path / "t.db", passphrase=secret, kdf="testing", busy_timeout_ms=2**40)
    assert secret not in str(e.value) and e.value.__context__ is None
    key = bytes(range(100, 132))
    with pytest.raises(TypeError) as e:
        casevault.open(tmp_path / "k.db", key=key, busy_timeout_ms=2**40)
    assert repr(key) not in str(e.value) and key.hex() not in str(e.value)
    with casevault.open(tmp_path / "v.db", key=bytes(32)) as vault:
        for call in (
            lambda: vault.accounts.create("Ana Canary-Souza", email="ana.canary@example.com", phone=5551234),
            lambda: vault.accounts.create_many([dict(name="Ana Canary-Souza", email="ana.canary@example.com",
                                                     phone=5551234)]),
            lambda: vault.accounts.find(phone="+1 555 \udcff canary"),
            lambda: vault.accounts.create("Ana Canary-Souza \udcff", email="ana.canary@example.com"),
        ):
            with pytest.raises((TypeError, ValueError)) as e:
                call()
            text = str(e.value)
            assert "Canary" not in text and "canary" not in text, text
            assert e.value.__context__ is None
