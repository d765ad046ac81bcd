"""casevault quickstart: create, find, rectify and erase an account;
publish a privacy policy and ask it before processing.

Usage: python quickstart.py [STORE_PATH]   (default: a file in a temp dir)

Run from a build tree with PYTHONPATH=build/python.
"""

import os
import sys
import tempfile
from typing import Sequence

import casevault


def main(argv: Sequence[str]) -> int:
    if len(argv) > 1:
        path = argv[1]
    else:
        path = os.path.join(tempfile.mkdtemp(prefix="casevault-"), "cases.db")

    print(f"casevault {casevault.__version__}, engines {casevault.engine_versions()}")
    # A real host gets its passphrase or 32-byte key from a secret store.
    # kdf="testing" keeps this example fast; leave it out in production.
    with casevault.open(path, passphrase="correct horse", kdf="testing", actor="quickstart") as vault:
        ana = vault.accounts.create(name="Ana Souza", email="ana@example.com",
                                    phone="+1 332 555 0101")
        print("created", ana)                 # repr shows id and status only

        found = vault.accounts.find(email=" ANA@example.com")
        assert found is not None and found.id == ana.id
        print("found by email", found)

        ana = vault.accounts.update(ana.id, company="Souza Consulting")
        print("rectified", ana, "updated_at", ana.updated_at)

        print("accounts:", vault.accounts.count(), "active:", vault.accounts.count("active"))

        # The VisaPro reference policy, as a document: newsletters need
        # express consent, which the person can withdraw at any time.
        here = os.path.dirname(os.path.abspath(__file__))
        with open(os.path.join(here, "..", "policies", "visapro.json"), encoding="utf-8") as f:
            published = vault.policy.publish(f.read())
        print(f"published {published.policy.name!r} v{published.policy.version}")
        print("  may_process(newsletter):", vault.may_process(ana.id, "newsletter"))
        vault.consents.subscribe(ana.id, "newsletter", channel="web", evidence="signup form")
        assert vault.may_process(ana.id, "newsletter")
        print("  after subscribing:", vault.may_process(ana.id, "newsletter"))
        vault.consents.unsubscribe(ana.id, "newsletter", channel="email")
        assert vault.may_process(ana.id, "newsletter").reason == "withdrawn"
        print("  after unsubscribing:", vault.may_process(ana.id, "newsletter"))

        # A case, seen only by the team assigned to it (VisaPro's roles).
        attorney = vault.principals.add("attorney")
        other = vault.principals.add("staff")
        case = vault.cases.open(ana.id, ana.id, "I-485", receipt_number="EAC 219 001 2345",
                                questionnaire={"employer": "Souza Consulting"})
        vault.cases.assign(case.id, attorney.id)
        vault.cases.add_status(attorney.id, case.id, "received", "uscis")
        print("case", case.id, "latest:", vault.cases.get(attorney.id, case.id).latest_status.status)
        try:
            vault.cases.get(other.id, case.id)
        except casevault.AccessDeniedError as e:
            print("  unassigned staff:", e.rule)
        print("  can(attorney, read):", vault.can(attorney.id, "read", "case", case.id))

        vault.accounts.erase(ana.id)
        print("erased", vault.accounts.get(ana.id))
        try:
            vault.cases.get(attorney.id, case.id)
        except casevault.NotFoundError:
            print("  her case went with her")

        for entry in vault.audit.read(subject=ana.id):
            print(f"  audit #{entry.seq} {entry.action} {entry.outcome}")

        result = vault.audit.verify()
        assert result.ok
        print(f"audit chain ok: {result.entries} entries, head {result.head[:16]}...")

        info = vault.info()
        print(f"store {info.path}: schema {info.schema_version}, key mode {info.key_mode}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
