"""The operator CLI, run as a subprocess (its path comes from ctest)."""
import json
import os
import subprocess

import pytest

CLI = os.environ.get("CASEVAULT_CLI")
pytestmark = pytest.mark.skipif(not CLI, reason="CASEVAULT_CLI not set (run through ctest)")


def run(*args, env=None, input=None):
    e = {k: v for k, v in os.environ.items() if not k.startswith("CASEVAULT_")}
    e.update(env or {})
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, env=e,
                          input=input, timeout=60)


@pytest.fixture
def keyfile(tmp_path):
    p = tmp_path / "store.key"
    p.write_bytes(bytes(range(32)))
    return p


def test_init_info_check_and_verify(tmp_path, keyfile):
    db = tmp_path / "cli.db"
    r = run("init", db, "--key-file", keyfile)
    assert r.returncode == 0, r.stderr
    assert run("init", db, "--key-file", keyfile).returncode == 1  # exists already

    r = run("info", db, "--key-file", keyfile, "--json")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["key_mode"] == "raw" and info["schema_version"] == 2
    assert info["accounts"]["total"] == 0

    r = run("check", db, "--key-file", keyfile)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "pages ok" in r.stdout

    r = run("audit", "verify", db, "--key-file", keyfile, "--json")
    assert r.returncode == 0
    head = json.loads(r.stdout)["head"]
    assert run("audit", "verify", db, "--key-file", keyfile, "--expect-head", head).returncode == 0
    bogus = "1:" + "00" * 32
    assert run("audit", "verify", db, "--key-file", keyfile, "--expect-head", bogus).returncode == 3


def test_errors_and_usage(tmp_path, keyfile):
    db = tmp_path / "cli.db"
    assert run("init", db, "--key-file", keyfile).returncode == 0
    other = tmp_path / "other.key"
    other.write_bytes(bytes(32))
    r = run("info", db, "--key-file", other)
    assert r.returncode == 1 and "wrong_key" in r.stderr
    assert run("frobnicate").returncode == 2
    assert run("info").returncode == 2
    # Secrets are never accepted on the command line.
    assert run("info", db, "--passphrase", "hunter2").returncode == 2
    assert run("version").returncode == 0
    assert "usage" in run("--help").stdout


def test_damaged_page_fails_check(tmp_path, keyfile):
    db = tmp_path / "cli.db"
    assert run("init", db, "--key-file", keyfile).returncode == 0
    data = bytearray(db.read_bytes())
    data[4096 + 1000] ^= 0x01
    db.write_bytes(bytes(data))
    r = run("check", db, "--key-file", keyfile)
    assert r.returncode == 1 and "corrupt" in r.stderr


def test_rekey_with_passphrase_files_shows_progress(tmp_path):
    db = tmp_path / "pw.db"
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("old passphrase\n")
    new.write_text("new passphrase\n")
    assert run("init", db, "--passphrase-file", old, "--kdf", "testing").returncode == 0
    r = run("rekey", db, "--passphrase-file", old, "--new-passphrase-file", new, "--kdf", "testing")
    assert r.returncode == 0, r.stderr
    assert "copy" in r.stderr and "swap" in r.stderr  # progress goes to stderr
    assert run("info", db, "--passphrase-file", old).returncode == 1
    assert run("info", db, "--passphrase-file", new).returncode == 0
    r = run("info", db, env={"CASEVAULT_PASSPHRASE": "new passphrase"})
    assert r.returncode == 0, r.stderr
