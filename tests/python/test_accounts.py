"""vault.accounts: every method, paging, and the errors they raise."""

import dataclasses

import pytest

import casevault


def make(vault, i, **extra):
    fields = dict(name=f"Person {i}", email=f"person{i}@example.com",
                  phone=f"+1 332 555 {i:04d}")
    fields.update(extra)
    return vault.accounts.create(**fields)


def test_create_and_get(vault):
    a = vault.accounts.create(name="Ana Souza", email="ana@example.com",
                              phone="+1 332 555 0101", address="1 Main St, Springfield",
                              company="Souza Ltd")
    assert isinstance(a, casevault.Account)
    assert a.id and isinstance(a.id, str)
    assert a.status == "active"
    assert a.name == "Ana Souza"
    assert a.email == "ana@example.com"
    assert a.phone  # normalised by the engine
    assert a.address == "1 Main St, Springfield"
    assert a.company == "Souza Ltd"
    assert a.created_at > 0 and a.updated_at >= a.created_at
    assert vault.accounts.get(a.id) == a


def test_account_is_frozen(vault):
    a = make(vault, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.name = "Someone else"


def test_optional_fields_default_to_none(vault):
    a = vault.accounts.create("Bo Chen", email="bo@example.com")
    assert a.phone is None and a.address is None and a.company is None
    b = vault.accounts.create("Cy Diaz", phone="+44 20 7946 0000")
    assert b.email is None and b.phone


def test_find_by_email_and_phone(vault):
    a = vault.accounts.create(name="Ana Souza", email="ana@example.com", phone="+1 332 555 0101")
    assert vault.accounts.find(email="ana@example.com").id == a.id
    assert vault.accounts.find(email="  ANA@Example.COM ").id == a.id
    assert vault.accounts.find(phone="+1 332 555 0101").id == a.id
    assert vault.accounts.find(phone="001 332 555 0101").id == a.id
    assert vault.accounts.find(email="nobody@example.com") is None
    assert vault.accounts.find(phone="+1 332 555 0199") is None


def test_find_needs_exactly_one_key(vault):
    with pytest.raises(casevault.InvalidArgumentError):
        vault.accounts.find()
    with pytest.raises(casevault.InvalidArgumentError):
        vault.accounts.find(email="a@example.com", phone="+1 332 555 0101")


def test_update(vault):
    a = vault.accounts.create(name="Ana Souza", email="ana@example.com", company="Old Co")
    b = vault.accounts.update(a.id, name="Ana S. Lima", phone="+1 332 555 0102")
    assert b.id == a.id
    assert b.name == "Ana S. Lima"
    assert b.phone
    assert b.email == "ana@example.com"          # unchanged
    assert b.company == "Old Co"                  # unchanged
    c = vault.accounts.update(a.id, company="")   # "" clears
    assert c.company in (None, "")
    assert vault.accounts.get(a.id) == c
    # The old email is no longer findable after it changes.
    vault.accounts.update(a.id, email="ana.lima@example.com")
    assert vault.accounts.find(email="ana@example.com") is None
    assert vault.accounts.find(email="ana.lima@example.com").id == a.id


def test_update_unknown_and_bad(vault):
    a = make(vault, 1)
    with pytest.raises(casevault.NotFoundError):
        vault.accounts.update("acc_000000000000000000000000", name="X")
    with pytest.raises(casevault.InvalidArgumentError):
        vault.accounts.update(a.id, email="not an email")
    with pytest.raises(TypeError):
        vault.accounts.update(a.id, nickname="X")


def test_set_status(vault):
    a = make(vault, 1)
    assert vault.accounts.set_status(a.id, "cancelled").status == "cancelled"
    assert vault.accounts.get(a.id).status == "cancelled"
    assert vault.accounts.set_status(a.id, "closed").status == "closed"
    assert vault.accounts.set_status(a.id, "active").status == "active"
    with pytest.raises(casevault.InvalidArgumentError):
        vault.accounts.set_status(a.id, "frozen")
    with pytest.raises(casevault.Error):
        vault.accounts.set_status(a.id, "erased")  # only erase() erases
    assert vault.accounts.get(a.id).status == "active"


def test_count(vault):
    assert vault.accounts.count() == 0
    ids = [make(vault, i).id for i in range(5)]
    vault.accounts.set_status(ids[0], "cancelled")
    vault.accounts.erase(ids[1])
    assert vault.accounts.count() == 5
    assert vault.accounts.count("active") == 3
    assert vault.accounts.count("cancelled") == 1
    assert vault.accounts.count("erased") == 1
    assert vault.accounts.count(status="closed") == 0


def test_paging(vault):
    created = vault.accounts.create_many(
        [dict(name=f"Person {i}", email=f"p{i}@example.com") for i in range(23)])
    want = sorted(a.id for a in created)

    seen = []
    after = None
    pages = 0
    while True:
        page = vault.accounts.list(after=after, limit=5)
        assert isinstance(page, casevault.AccountPage)
        assert len(page.items) <= 5
        seen += [a.id for a in page.items]
        pages += 1
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert pages in (5, 6)  # 23 items in pages of 5
    assert seen == want

    first = vault.accounts.list(limit=100)
    assert [a.id for a in first.items] == want and first.next_cursor is None
    assert [a.id for a in vault.accounts.iter()] == want
    assert [a.id for a in vault.accounts] == want


def test_list_by_status(vault):
    ids = [make(vault, i).id for i in range(6)]
    for i in ids[:2]:
        vault.accounts.set_status(i, "closed")
    assert sorted(a.id for a in vault.accounts.list(status="closed").items) == sorted(ids[:2])
    assert sorted(a.id for a in vault.accounts.iter(status="active")) == sorted(ids[2:])


def test_list_bad_limit(vault):
    with pytest.raises(casevault.InvalidArgumentError):
        vault.accounts.list(limit=0)
    with pytest.raises(casevault.InvalidArgumentError):
        vault.accounts.list(limit=10 ** 9)


def test_create_many(vault):
    batch = [dict(name=f"Person {i}", email=f"p{i}@example.com", company="Acme")
             for i in range(10)]
    out = vault.accounts.create_many(iter(batch))  # any iterable
    assert [a.email for a in out] == [b["email"] for b in batch]
    assert vault.accounts.count() == 10
    assert vault.accounts.create_many([]) == []


def test_create_many_is_all_or_nothing(vault):
    make(vault, 1)
    batch = [dict(name="New 1", email="new1@example.com"),
             dict(name="Dup", email="person1@example.com")]
    with pytest.raises(casevault.DuplicateError):
        vault.accounts.create_many(batch)
    assert vault.accounts.count() == 1
    assert vault.accounts.find(email="new1@example.com") is None


def test_create_many_bad_rows(vault):
    with pytest.raises(casevault.InvalidArgumentError):
        vault.accounts.create_many([dict(email="x@example.com")])        # no name
    with pytest.raises(casevault.InvalidArgumentError):
        vault.accounts.create_many([dict(name="X", nickname="Y")])       # unknown field
    with pytest.raises(TypeError):
        vault.accounts.create_many(["not a dict"])
    assert vault.accounts.count() == 0


def test_duplicate_email_and_phone(vault):
    make(vault, 1)
    with pytest.raises(casevault.DuplicateError) as e:
        vault.accounts.create(name="Other", email="PERSON1@example.com")
    assert e.value.code == -7 and e.value.name == "duplicate"
    with pytest.raises(casevault.DuplicateError):
        vault.accounts.create(name="Other", phone="+1 332 555 0001")
    other = vault.accounts.create(name="Other", email="other@example.com")
    with pytest.raises(casevault.DuplicateError):
        vault.accounts.update(other.id, email="person1@example.com")
    assert vault.accounts.count() == 2


@pytest.mark.parametrize("fields", [
    dict(name="Ana", email="not-an-email"),
    dict(name="Ana", email="ana@"),
    dict(name="Ana", phone="555 0101"),          # no country code
    dict(name="Ana", phone="+1 abc"),
    dict(name="Ana"),                            # neither email nor phone
    dict(name="", email="ana@example.com"),      # no name
])
def test_bad_fields(vault, fields):
    with pytest.raises(casevault.InvalidArgumentError) as e:
        vault.accounts.create(**fields)
    assert isinstance(e.value, ValueError)
    assert e.value.code == -2 and e.value.name == "invalid_argument"
    assert vault.accounts.count() == 0


def test_get_unknown(vault):
    with pytest.raises(casevault.NotFoundError) as e:
        vault.accounts.get("acc_000000000000000000000000")
    assert e.value.code == -3
    assert isinstance(e.value, LookupError)


def test_erase(vault):
    a = make(vault, 1, address="9 Elm St", company="Acme")
    vault.accounts.erase(a.id)
    e = vault.accounts.get(a.id)
    assert e.status == "erased"
    assert not e.name
    assert e.email is None and e.phone is None and e.address is None and e.company is None
    assert vault.accounts.find(email="person1@example.com") is None
    assert vault.accounts.find(phone="+1 332 555 0001") is None
    vault.accounts.erase(a.id)  # erasing again is a no-op
    with pytest.raises(casevault.Error):
        vault.accounts.update(a.id, name="Back")
    # The freed email can be registered again.
    b = vault.accounts.create(name="New", email="person1@example.com")
    assert b.id != a.id


def test_erase_unknown(vault):
    with pytest.raises(casevault.NotFoundError):
        vault.accounts.erase("acc_000000000000000000000000")


def test_repr_has_no_pii(vault):
    a = vault.accounts.create(name="Zelda Quintessa", email="zelda.q@example.com",
                              phone="+1 332 555 0177", address="42 Wallaby Way",
                              company="Quintessa Holdings")
    assert repr(a) == f"Account(id={a.id!r}, status='active')"
    for text in (repr(a), str(a), f"{a}", repr([a]), repr(vault.accounts.list())):
        text = text.replace(a.id, "<id>")   # a random hex id may contain digits
        for pii in ("Zelda", "Quintessa", "zelda.q", "555", "0177", "Wallaby", "Holdings"):
            assert pii not in text, text
