"""Policy documents and helpers shared by test_policy.py and test_consent.py.

Small valid policies are built inline as dicts (docs/policy-format.md); the
two reference policies are read from examples/policies/.
"""

import copy
import json
import os
import threading

import pytest

T0 = 1_700_000_000
DAY = 86400

EXAMPLES_DIR = os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "policies"))


class FakeClock:
    """An injectable clock: ``clock.t`` is the time; ``advance(seconds)``."""

    def __init__(self, t=T0):
        self.t = t
        self.lock = threading.Lock()

    def __call__(self):
        with self.lock:
            return self.t

    def advance(self, seconds):
        with self.lock:
            self.t += seconds
            return self.t


def small_policy(version=1, *, fresh=(), effective_date="2025-01-01"):
    """A small valid policy. ``fresh``: purpose ids marked
    requires_fresh_consent in this version."""
    purposes = [
        {"id": "service", "description": "Provide the service", "legal_basis": "contract",
         "categories": ["identity", "contact"]},
        {"id": "terms", "description": "Acceptance of the privacy policy", "legal_basis": "consent",
         "categories": ["identity", "contact"], "on_decline": "close_and_erase"},
        {"id": "newsletter", "description": "Newsletter by email", "legal_basis": "consent",
         "categories": ["contact"]},
        {"id": "marketing", "description": "Marketing messages", "legal_basis": "consent",
         "categories": ["identity", "contact"]},
        {"id": "support_access", "description": "Support opens case content", "legal_basis": "consent",
         "categories": ["case_data"], "consent_max_duration": "P30D"},
        {"id": "fraud", "description": "Fraud detection", "legal_basis": "legitimate_interest",
         "categories": ["identity"]},
        {"id": "tax", "description": "Tax records", "legal_basis": "legal_obligation",
         "categories": ["identity"]},
        {"id": "stats_cookies", "description": "Statistics cookies", "legal_basis": "consent",
         "categories": ["visitor_data"], "third_party_disclosure": True},
    ]
    for p in purposes:
        if p["id"] in fresh:
            p["requires_fresh_consent"] = True
    return {
        "format": "casevault-policy/1",
        "metadata": {
            "name": "Test Co Privacy Policy",
            "version": version,
            "effective_date": effective_date,
            "jurisdiction": "US",
            "controller": {"name": "Test Co", "contact": "privacy@example.com"},
            "text_url": "https://example.com/privacy",
            "language": "en",
        },
        "categories": [
            {"id": "identity", "description": "Name", "records": ["account"]},
            {"id": "contact", "description": "Email and phone", "records": ["account"]},
            {"id": "case_data", "description": "Case content", "records": ["case"]},
            {"id": "visitor_data", "description": "Cookie data", "kind": "device"},
        ],
        "purposes": purposes,
        "roles": [
            {"id": "subject", "grants": [
                {"actions": ["read", "write"], "records": ["account", "consent"], "scope": "own"}]},
            {"id": "support", "grants": [
                {"actions": ["read"], "records": ["case"], "scope": "consented",
                 "purpose": "support_access"}]},
        ],
        "consent": {"channels": ["web", "email", "api"]},
        "subscriptions": [
            {"id": "newsletter", "purpose": "newsletter", "description": "The newsletter"},
        ],
        "visitors": {"cookie_categories": [
            {"id": "statistics", "purpose": "stats_cookies", "expiry": "P30D"},
        ]},
        "notifications": [{"kind": "reconsent_required", "channels": ["email"]}],
    }


def example_path(name):
    return os.path.join(EXAMPLES_DIR, name)


def load_example(name):
    """A reference policy as a dict; skips the test when the file is absent."""
    path = example_path(name)
    if not os.path.exists(path):
        pytest.skip(f"reference policy {path} does not exist")
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def next_version(doc, version, **purpose_changes):
    """A copy of ``doc`` as ``version``; ``purpose_changes`` maps purpose ids
    to dicts of keys to set on them."""
    out = copy.deepcopy(doc)
    out["metadata"]["version"] = version
    for p in out["purposes"]:
        p.update(purpose_changes.get(p["id"], {}))
    return out


def person(vault, n=0):
    """A fresh account."""
    return vault.accounts.create(name=f"Person {n}", email=f"person{n}@example.com")
