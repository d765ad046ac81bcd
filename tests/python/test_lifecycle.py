"""Closing, info, versions and threads."""

import gc
import re
import threading

import pytest

import casevault
from conftest import open_store


def test_version():
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", casevault.__version__)


def test_engine_versions():
    v = casevault.engine_versions()
    assert set(v) == {"casevault", "sqlcipher", "sqlite", "sodium"}
    assert v["casevault"] == casevault.__version__
    assert all(isinstance(x, str) and x for x in v.values())


def test_info(vault):
    vault.accounts.create(name="Ana", email="ana@example.com")
    b = vault.accounts.create(name="Bo", email="bo@example.com")
    vault.accounts.erase(b.id)
    info = vault.info()
    assert isinstance(info, casevault.Info)
    assert info.accounts == 2 and info.accounts_active == 1 and info.accounts_erased == 1
    assert info.audit_entries >= 3
    assert info.key_mode == "passphrase" and info.kdf == (1, 13)
    assert info.schema_version >= 1
    assert info.library_version == casevault.__version__
    versions = casevault.engine_versions()
    assert info.sqlcipher_version == versions["sqlcipher"]
    assert info.sqlite_version == versions["sqlite"]
    assert info.sodium_version == versions["sodium"]


def test_context_manager_closes(store_path):
    with open_store(store_path) as v:
        assert not v.closed
        a = v.accounts.create(name="Ana", email="ana@example.com")
    assert v.closed
    for call in (lambda: v.accounts.get(a.id),
                 lambda: v.accounts.create(name="Bo", email="bo@example.com"),
                 lambda: v.accounts.count(),
                 lambda: v.accounts.list(),
                 lambda: v.accounts.find(email="ana@example.com"),
                 lambda: v.accounts.erase(a.id),
                 lambda: v.audit.read(),
                 lambda: v.audit.verify(),
                 lambda: v.info(),
                 lambda: v.change_passphrase("x", kdf="testing")):
        with pytest.raises(casevault.ClosedError) as e:
            call()
        assert e.value.code == -11
    v.close()  # twice is fine
    assert "closed" in repr(v)


def test_context_manager_closes_on_exception(store_path):
    with pytest.raises(RuntimeError):
        with open_store(store_path) as v:
            raise RuntimeError("boom")
    assert v.closed
    with open_store(store_path) as v2:   # reopens fine
        assert v2.accounts.count() == 0


def test_views_are_stable(vault):
    assert vault.accounts is vault.accounts
    assert vault.audit is vault.audit


def test_dropped_vault_closes(store_path):
    v = open_store(store_path)
    accounts = v.accounts
    a = accounts.create(name="Ana", email="ana@example.com")
    del v
    gc.collect()
    # The view keeps the store alive while it is referenced.
    assert accounts.get(a.id).name == "Ana"
    del accounts
    gc.collect()
    with open_store(store_path) as v:
        assert v.accounts.count() == 1


def test_threads_create_concurrently(vault):
    n_threads, per_thread = 4, 25
    errors = []
    created = [[] for _ in range(n_threads)]
    start = threading.Barrier(n_threads)

    def work(t):
        try:
            start.wait()
            for i in range(per_thread):
                a = vault.accounts.create(name=f"T{t} P{i}", email=f"t{t}p{i}@example.com",
                                          phone=f"+1 332 55{t} {i:04d}")
                created[t].append(a.id)
                if i % 5 == 0:
                    vault.accounts.count()
                    vault.accounts.get(a.id)
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(n_threads)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert not any(th.is_alive() for th in threads)
    assert errors == []
    ids = [i for c in created for i in c]
    assert len(ids) == n_threads * per_thread == len(set(ids))
    assert vault.accounts.count() == n_threads * per_thread
    assert vault.audit.verify().ok


def test_threads_with_python_clock(store_path):
    """Callbacks re-acquire the GIL from inside engine calls on many threads."""
    lock = threading.Lock()
    ticks = [1_700_000_000]

    def clock():
        with lock:
            ticks[0] += 1
            return ticks[0]

    with open_store(store_path, clock=clock) as v:
        def work(t):
            for i in range(10):
                v.accounts.create(name=f"T{t}", email=f"c{t}x{i}@example.com")

        threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(timeout=120)
        assert v.accounts.count() == 40
        assert v.audit.verify().ok


def test_second_connection_sees_data(store_path):
    with open_store(store_path) as v1:
        a = v1.accounts.create(name="Ana", email="ana@example.com")
        with open_store(store_path) as v2:
            assert v2.accounts.get(a.id).name == "Ana"


def test_gil_released_during_engine_calls(tmp_path):
    """Another Python thread keeps running while the engine derives a key."""
    import sys
    import time

    stop = threading.Event()
    count = [0]

    def spin():
        while not stop.is_set():
            count[0] += 1

    old = sys.getswitchinterval()
    sys.setswitchinterval(0.001)
    th = threading.Thread(target=spin)
    th.start()
    try:
        time.sleep(0.05)                       # warm up
        c0, t0 = count[0], time.perf_counter()
        time.sleep(0.2)                        # sleep releases the GIL
        rate = (count[0] - c0) / (time.perf_counter() - t0)

        # A KDF costly enough to take a while (64 MiB Argon2id).
        c0, t0 = count[0], time.perf_counter()
        v = casevault.open(tmp_path / "slow.db", passphrase="pw", kdf=(2, 26))
        during = count[0] - c0
        elapsed = time.perf_counter() - t0
        v.close()
    finally:
        stop.set()
        th.join()
        sys.setswitchinterval(old)
    assert elapsed > 0.02
    # With the GIL held for the whole call the spinner would get at most a
    # switch interval or two; released, it runs for most of the call.
    assert during > 0.1 * rate * elapsed, (during, rate, elapsed)
