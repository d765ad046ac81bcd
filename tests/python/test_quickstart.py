"""The README example, verbatim, and the runnable example script."""

import os
import subprocess
import sys

import casevault
from conftest import subprocess_env

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_readme_example(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with casevault.open("cases.db", passphrase="correct horse") as vault:   # or key=bytes(32)
        ana = vault.accounts.create(name="Ana Souza", email="ana@example.com", phone="+1 332 555 0101")
        assert vault.accounts.find(email=" ANA@example.com").id == ana.id
        vault.accounts.erase(ana.id)
        assert vault.audit.verify().ok
    assert vault.closed
    with casevault.open("cases.db", passphrase="correct horse") as vault:
        assert vault.accounts.get(ana.id).status == "erased"
        assert vault.accounts.find(email="ana@example.com") is None


def test_raw_key_example(tmp_path):
    with casevault.open(tmp_path / "cases.db", key=bytes(32)) as vault:
        ana = vault.accounts.create(name="Ana Souza", email="ana@example.com")
        assert vault.accounts.get(ana.id).email == "ana@example.com"
        assert vault.info().key_mode == "raw"
        assert vault.info().kdf is None


def test_quickstart_script(tmp_path):
    script = os.path.join(ROOT, "examples", "python", "quickstart.py")
    env = subprocess_env()
    out = subprocess.run([sys.executable, script, str(tmp_path / "quick.db")],
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "audit chain ok" in out.stdout
    # The example prints reprs of accounts only: no personal data.
    assert "Ana Souza" not in out.stdout
    assert "ana@example.com" not in out.stdout.lower()
