"""change_passphrase / change_key, progress callbacks and cancellation."""

import pytest

import casevault
from conftest import KEY, PASSPHRASE, open_store

NEW = "a brand new passphrase"


def fill(v, n=30):
    return v.accounts.create_many(
        [dict(name=f"Person {i}", email=f"p{i}@example.com", phone=f"+1 332 555 {i:04d}")
         for i in range(n)])


def test_change_passphrase_with_progress(store_path):
    calls = []

    def progress(phase, done, total):
        calls.append((phase, done, total))
        return None  # None continues

    with open_store(store_path) as v:
        accounts = fill(v)
        v.change_passphrase(NEW, kdf="testing", progress=progress)
        # The open vault keeps working after the rekey.
        assert v.accounts.find(email="p3@example.com").id == accounts[3].id
        v.accounts.create(name="After", email="after@example.com")
        assert v.audit.verify().ok

    assert calls, "progress was never called"
    for phase, done, total in calls:
        assert isinstance(phase, str) and phase
        assert isinstance(done, int) and isinstance(total, int)

    with pytest.raises(casevault.WrongKeyError):
        open_store(store_path, passphrase=PASSPHRASE)
    with open_store(store_path, passphrase=NEW) as v:
        assert v.accounts.count() == 31
        assert v.accounts.get(accounts[0].id) == accounts[0]
        assert v.accounts.find(phone="+1 332 555 0007").id == accounts[7].id
        assert v.audit.verify().ok


def test_change_passphrase_raises_kdf(store_path):
    with open_store(store_path) as v:
        v.change_passphrase(NEW, kdf=(2, 14))
        assert v.info().kdf == (2, 14)
    with open_store(store_path, passphrase=NEW) as v:
        assert v.info().kdf == (2, 14)


def test_progress_false_cancels(store_path):
    seen = []

    def progress(phase, done, total):
        seen.append(phase)
        return False

    with open_store(store_path) as v:
        accounts = fill(v)
        with pytest.raises(casevault.CancelledError) as e:
            v.change_passphrase(NEW, kdf="testing", progress=progress)
        assert e.value.code == -10
        assert seen
        # Nothing changed: the vault still works under the old secret.
        assert v.accounts.get(accounts[1].id) == accounts[1]
        v.accounts.create(name="After", email="after@example.com")

    with pytest.raises(casevault.WrongKeyError):
        open_store(store_path, passphrase=NEW)
    with open_store(store_path, passphrase=PASSPHRASE) as v:
        assert v.accounts.count() == 31
        assert v.audit.verify().ok


def test_progress_cancel_late(store_path):
    """Cancel after some progress: still nothing changed."""
    calls = []

    def progress(phase, done, total):
        calls.append(phase)
        return len(calls) < 3

    with open_store(store_path) as v:
        fill(v, 50)
        try:
            v.change_passphrase(NEW, kdf="testing", progress=progress)
        except casevault.CancelledError:
            cancelled = True
        else:
            cancelled = False   # finished in fewer than 3 steps
    secret = PASSPHRASE if cancelled else NEW
    with open_store(store_path, passphrase=secret) as v:
        assert v.accounts.count() == 50


class Boom(Exception):
    pass


def test_progress_exception_cancels_and_propagates(store_path):
    """An exception raised in the callback cancels the operation and is
    re-raised to the caller as itself (not as CancelledError)."""
    def progress(phase, done, total):
        raise Boom("from the callback")

    with open_store(store_path) as v:
        fill(v)
        with pytest.raises(Boom, match="from the callback"):
            v.change_passphrase(NEW, kdf="testing", progress=progress)
        assert v.accounts.count() == 30
    with open_store(store_path, passphrase=PASSPHRASE) as v:
        assert v.accounts.count() == 30


def test_progress_must_be_callable(vault):
    with pytest.raises(TypeError):
        vault.change_passphrase(NEW, progress="not callable")


def test_change_key(store_path):
    new_key = bytes(range(100, 132))
    phases = []
    with casevault.open(store_path, key=KEY) as v:
        accounts = fill(v)
        v.change_key(new_key, progress=lambda p, d, t: phases.append(p))
        assert v.accounts.get(accounts[2].id) == accounts[2]
    assert phases and all(isinstance(p, str) for p in phases)
    with pytest.raises(casevault.WrongKeyError):
        casevault.open(store_path, key=KEY)
    with casevault.open(store_path, key=new_key) as v:
        assert v.accounts.count() == 30
        assert v.info().key_mode == "raw"


def test_change_key_cancel(store_path):
    new_key = bytes(range(100, 132))
    with casevault.open(store_path, key=KEY) as v:
        fill(v)
        with pytest.raises(casevault.CancelledError):
            v.change_key(new_key, progress=lambda p, d, t: False)
    with casevault.open(store_path, key=KEY) as v:
        assert v.accounts.count() == 30


def test_switch_passphrase_to_key_and_back(store_path):
    with open_store(store_path) as v:
        fill(v, 5)
        v.change_key(KEY)
        assert v.info().key_mode == "raw"
    with casevault.open(store_path, key=KEY) as v:
        v.change_passphrase(NEW, kdf="testing")
        assert v.info().key_mode == "passphrase"
    with open_store(store_path, passphrase=NEW) as v:
        assert v.accounts.count() == 5


def test_change_key_bad_length(key_vault):
    with pytest.raises(casevault.InvalidArgumentError):
        key_vault.change_key(b"too short")
    with pytest.raises(TypeError):
        key_vault.change_key("not bytes")
