"""Opening stores: arguments, wrong secrets, files that are not stores,
damaged files, and the exception classes."""

import os
import sqlite3

import pytest

import casevault
from conftest import KEY, PASSPHRASE, open_store


# ---- the exception hierarchy ------------------------------------------------

EXPECTED = {
    -1: ("InternalError", "internal"),
    -2: ("InvalidArgumentError", "invalid_argument"),
    -3: ("NotFoundError", "not_found"),
    -4: ("WrongKeyError", "wrong_key"),
    -5: ("CorruptError", "corrupt"),
    -6: ("LockedError", "locked"),
    -7: ("DuplicateError", "duplicate"),
    -8: ("NoCodecError", "no_codec"),
    -9: ("StoreIOError", "io"),
    -10: ("CancelledError", "cancelled"),
    -11: ("ClosedError", "closed"),
    -12: ("AccessDeniedError", "access_denied"),
    -13: ("UnsupportedError", "unsupported"),
}


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_error_classes(code):
    cls_name, name = EXPECTED[code]
    cls = getattr(casevault, cls_name)
    assert issubclass(cls, casevault.Error) and issubclass(cls, Exception)
    assert cls.code == code and cls.name == name
    assert casevault.error_class(code) is cls
    e = cls("message")
    assert e.code == code and e.name == name and str(e) == "message"


def test_error_mixins():
    assert issubclass(casevault.InvalidArgumentError, ValueError)
    assert issubclass(casevault.StoreIOError, OSError)
    assert issubclass(casevault.NotFoundError, LookupError)
    assert casevault.error_class(-999) is casevault.Error


def test_error_names_match_engine():
    from casevault import _casevault
    for code, (_, name) in EXPECTED.items():
        assert _casevault.errc_name(code) == name


# ---- arguments ---------------------------------------------------------------

def test_exactly_one_secret(store_path):
    with pytest.raises(casevault.InvalidArgumentError):
        casevault.open(store_path)
    with pytest.raises(casevault.InvalidArgumentError):
        casevault.open(store_path, passphrase="x", key=KEY)
    assert not os.path.exists(store_path)


@pytest.mark.parametrize("kdf", ["fast", (1,), (1, 2, 3), ("1", "13"), (-1, 13), 5])
def test_bad_kdf(store_path, kdf):
    with pytest.raises(casevault.InvalidArgumentError):
        casevault.open(store_path, passphrase=PASSPHRASE, kdf=kdf)


def test_kdf_forms(tmp_path):
    with casevault.open(tmp_path / "a.db", passphrase=PASSPHRASE, kdf="testing") as v:
        assert v.info().kdf == (1, 13)
        assert v.info().key_mode == "passphrase"
    with casevault.open(tmp_path / "b.db", passphrase=PASSPHRASE, kdf=(2, 14)) as v:
        assert v.info().kdf == casevault.KdfParams(opslimit=2, memlimit_log2=14)
    # An existing store opens with its own parameters, whatever kdf says.
    with casevault.open(tmp_path / "b.db", passphrase=PASSPHRASE, kdf="testing") as v:
        assert v.info().kdf == (2, 14)


def test_bad_raw_key_length(store_path):
    with pytest.raises(casevault.InvalidArgumentError):
        casevault.open(store_path, key=b"short")


def test_key_must_be_bytes(store_path):
    with pytest.raises(TypeError):
        casevault.open(store_path, key="a str is not a key")


def test_key_accepts_bytes_like(tmp_path):
    with casevault.open(tmp_path / "k.db", key=bytearray(KEY)) as v:
        a = v.accounts.create(name="A", email="a@example.com")
    with casevault.open(tmp_path / "k.db", key=memoryview(KEY)) as v:
        assert v.accounts.get(a.id).name == "A"


def test_path_like_and_str(tmp_path):
    p = tmp_path / "p.db"
    with open_store(p) as v:
        assert v.path == str(p)
    with open_store(str(p)) as v:
        assert v.path == str(p)
        assert os.path.samefile(v.info().path, p)


def test_missing_without_create(store_path):
    with pytest.raises(casevault.NotFoundError):
        open_store(store_path, create=False)
    assert not os.path.exists(store_path)


def test_bad_actor_and_clock_types(store_path):
    with pytest.raises(TypeError):
        open_store(store_path, clock=12345)


# ---- wrong secrets -------------------------------------------------------------

def test_wrong_passphrase(store_path):
    with open_store(store_path) as v:
        v.accounts.create(name="A", email="a@example.com")
    with pytest.raises(casevault.WrongKeyError) as e:
        open_store(store_path, passphrase="Correct horse battery staple")
    assert e.value.code == -4 and e.value.name == "wrong_key"
    with pytest.raises(casevault.WrongKeyError):
        open_store(store_path, key=KEY)
    with open_store(store_path) as v:   # still fine with the right one
        assert v.accounts.count() == 1


def test_wrong_raw_key(store_path):
    with casevault.open(store_path, key=KEY) as v:
        v.accounts.create(name="A", email="a@example.com")
    with pytest.raises(casevault.WrongKeyError):
        casevault.open(store_path, key=bytes(32))
    with pytest.raises(casevault.WrongKeyError):
        open_store(store_path, passphrase=PASSPHRASE)


# ---- files that are not stores ------------------------------------------------

def test_random_bytes_is_corrupt(store_path):
    store_path.write_bytes(os.urandom(4096 * 4))
    before = store_path.read_bytes()
    with pytest.raises(casevault.CorruptError) as e:
        open_store(store_path)
    assert e.value.code == -5
    assert store_path.read_bytes() == before  # left alone


def test_plain_sqlite_is_corrupt(store_path):
    con = sqlite3.connect(store_path)
    con.execute("create table t(x)")
    con.execute("insert into t values ('hello')")
    con.commit()
    con.close()
    before = store_path.read_bytes()
    with pytest.raises(casevault.CorruptError):
        open_store(store_path)
    with pytest.raises(casevault.CorruptError):
        casevault.open(store_path, key=KEY)
    assert store_path.read_bytes() == before


def test_text_file_is_corrupt(store_path):
    store_path.write_text("hello, this is not a database\n" * 200)
    with pytest.raises(casevault.CorruptError):
        open_store(store_path)


def _read_everything(path, expected):
    """Reads every record; checks whatever comes back is right."""
    with open_store(path) as v:
        assert v.check_integrity() > 0  # every page in use, indexes included
        page = v.accounts.list(limit=10000)
        by_id = {a.id: a for a in page.items}
        for a in page.items:
            assert a == expected[a.id], "damaged store returned wrong data"
        for id_, want in expected.items():
            got = v.accounts.get(id_)
            assert got == want, "damaged store returned wrong data"
            assert v.accounts.find(email=want.email).id == id_
        assert set(by_id) == set(expected), "damaged store lost accounts silently"
        entries = v.audit.read(limit=100000)
        assert entries
        result = v.audit.verify()
        if not result.ok:
            raise casevault.CorruptError("audit chain broken")
        v.info()


def test_flipped_byte_is_detected(store_path):
    with open_store(store_path) as v:
        created = v.accounts.create_many(
            [dict(name=f"Person {i}", email=f"person{i}@example.com",
                  address=f"{i} Long Road, Some Town, Some Country") for i in range(300)])
    expected = {a.id: a for a in created}
    _read_everything(store_path, expected)  # intact: reads fine

    data = bytearray(store_path.read_bytes())
    assert len(data) > 8 * 4096
    mid = len(data) // 2 + 1000  # inside a page's data area
    data[mid] ^= 0x01
    store_path.write_bytes(bytes(data))

    with pytest.raises(casevault.CorruptError):
        _read_everything(store_path, expected)


def test_non_utf8_path_works(tmp_path):
    import os
    import casevault
    path = os.fsencode(tmp_path) + b"/caf\xe9.db"
    with casevault.open(path, key=bytes(32)) as vault:
        vault.accounts.create(name="Path Test", email="path@example.com")
    with casevault.open(path, key=bytes(32)) as vault:
        assert vault.accounts.count() == 1


def test_nul_in_path_is_refused(tmp_path):
    import casevault
    import pytest
    with pytest.raises((casevault.InvalidArgumentError, ValueError)):
        casevault.open(str(tmp_path / "x.db") + "\0junk", key=bytes(32))


def test_open_reports_schema_migrations_and_can_cancel(tmp_path):
    import casevault
    import pytest
    seen = []
    with casevault.open(tmp_path / "m.db", key=bytes(32), progress=lambda *a: seen.append(a)):
        pass
    assert seen and all(phase == "migrate" for phase, _, _ in seen)
    assert seen[-1][1] == seen[-1][2]
    with pytest.raises(casevault.CancelledError):
        casevault.open(tmp_path / "c.db", key=bytes(32), progress=lambda *a: False)
    assert not (tmp_path / "c.db").exists()
