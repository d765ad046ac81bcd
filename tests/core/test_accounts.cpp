#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "test_util.hpp"

using namespace casevault;
using namespace cvtest;

namespace {

AccountFields ana() {
    return {"Ana Souza", std::string("ana@example.com"), std::string("+1 332 555 0101"),
            std::string("12 Rua Augusta, Sao Paulo"), std::string("Souza Imports")};
}

class AccountsTest : public ::testing::Test {
protected:
    AccountsTest() : path_(dir_.path("a.db")) {
        OpenOptions o = key_options();
        o.clock = clock_.fn();
        vault_ = std::make_unique<Vault>(Vault::open(path_, o));
    }
    Accounts accounts() { return vault_->accounts(); }

    TempDir dir_;
    ManualClock clock_;
    std::string path_;
    std::unique_ptr<Vault> vault_;
};

}  // namespace

TEST_F(AccountsTest, CreateGetAndFind) {
    const Account a = accounts().create(ana());
    EXPECT_EQ(a.id.rfind("acc_", 0), 0u);
    EXPECT_EQ(a.status, AccountStatus::active);
    EXPECT_EQ(a.created_at, clock_.now);

    const Account g = accounts().get(a.id);
    EXPECT_EQ(g.fields.name, "Ana Souza");
    EXPECT_EQ(g.fields.email.value(), "ana@example.com");
    EXPECT_EQ(g.fields.phone.value(), "+1 332 555 0101");
    EXPECT_EQ(g.fields.address.value(), "12 Rua Augusta, Sao Paulo");
    EXPECT_EQ(g.fields.company.value(), "Souza Imports");

    EXPECT_EQ(accounts().find_by_email("  ANA@Example.com ").value().id, a.id);
    EXPECT_EQ(accounts().find_by_phone("001 (332) 555-0101").value().id, a.id);
    EXPECT_FALSE(accounts().find_by_email("nobody@example.com"));
    EXPECT_FALSE(accounts().find_by_phone("+44 20 7946 0000"));
    EXPECT_CV_ERROR(accounts().find_by_email("not an email"), Errc::invalid_argument);
}

TEST_F(AccountsTest, ValidationErrorsChangeNothing) {
    EXPECT_CV_ERROR(accounts().create({"", std::string("a@example.com"), {}, {}, {}}), Errc::invalid_argument);
    EXPECT_CV_ERROR(accounts().create({"No Contact", {}, {}, {}, {}}), Errc::invalid_argument);
    EXPECT_CV_ERROR(accounts().create({"Bad", std::string("bad@"), {}, {}, {}}), Errc::invalid_argument);
    EXPECT_CV_ERROR(accounts().create({"Bad", {}, std::string("555 0101"), {}, {}}), Errc::invalid_argument);
    EXPECT_EQ(accounts().count(), 0);
    EXPECT_EQ(vault_->audit().read().size(), 1u);  // only store.create
    EXPECT_CV_ERROR(accounts().get("acc_nothex"), Errc::invalid_argument);
    EXPECT_CV_ERROR(accounts().get("acc_000000000000000000000000"), Errc::not_found);
}

TEST_F(AccountsTest, DuplicatesAreRefusedAndBatchesAreAllOrNothing) {
    accounts().create(ana());
    EXPECT_CV_ERROR(accounts().create({"Other", std::string("ANA@example.com "), {}, {}, {}}), Errc::duplicate);
    EXPECT_CV_ERROR(accounts().create({"Other", {}, std::string("+13325550101"), {}, {}}), Errc::duplicate);
    const std::vector<AccountFields> batch = {{"B1", std::string("b1@example.com"), {}, {}, {}},
                                              {"B2", std::string("b2@example.com"), {}, {}, {}},
                                              {"B1 again", std::string("B1@example.com"), {}, {}, {}}};
    EXPECT_CV_ERROR(accounts().create_many(batch), Errc::duplicate);
    EXPECT_EQ(accounts().count(), 1);
    EXPECT_FALSE(accounts().find_by_email("b2@example.com"));
}

TEST_F(AccountsTest, UpdateRectifiesAndReindexes) {
    const Account a = accounts().create(ana());
    clock_.now += 60;
    AccountUpdate u;
    u.email = "ana.souza@example.org";
    u.company = "";  // cleared
    const Account b = accounts().update(a.id, u);
    EXPECT_EQ(b.updated_at, clock_.now);
    EXPECT_EQ(b.fields.email.value(), "ana.souza@example.org");
    EXPECT_FALSE(b.fields.company);
    EXPECT_FALSE(accounts().find_by_email("ana@example.com"));
    EXPECT_EQ(accounts().find_by_email("ANA.SOUZA@example.org").value().id, a.id);
    EXPECT_FALSE(accounts().get(a.id).fields.company);

    AccountUpdate clear_name;
    clear_name.name = "";
    EXPECT_CV_ERROR(accounts().update(a.id, clear_name), Errc::invalid_argument);
    AccountUpdate no_contact;
    no_contact.email = "";
    no_contact.phone = "";
    EXPECT_CV_ERROR(accounts().update(a.id, no_contact), Errc::invalid_argument);
    EXPECT_EQ(accounts().get(a.id).fields.email.value(), "ana.souza@example.org");  // unchanged
}

TEST_F(AccountsTest, StatusTransitions) {
    const Account a = accounts().create(ana());
    EXPECT_EQ(accounts().set_status(a.id, AccountStatus::cancelled).status, AccountStatus::cancelled);
    EXPECT_EQ(accounts().count(AccountStatus::cancelled), 1);
    EXPECT_CV_ERROR(accounts().set_status(a.id, AccountStatus::erased), Errc::invalid_argument);
    accounts().erase(a.id);
    EXPECT_CV_ERROR(accounts().set_status(a.id, AccountStatus::active), Errc::invalid_argument);
    EXPECT_EQ(account_status_from_name("closed"), AccountStatus::closed);
    EXPECT_CV_ERROR(account_status_from_name("deleted"), Errc::invalid_argument);
}

TEST_F(AccountsTest, ListPagesThroughEverything) {
    std::vector<AccountFields> batch;
    for (int i = 0; i < 25; ++i) batch.push_back({"P" + std::to_string(i), "p" + std::to_string(i) + "@example.com", {}, {}, {}});
    const auto created = accounts().create_many(batch);
    accounts().set_status(created[3].id, AccountStatus::closed);
    std::set<std::string> seen;
    AccountListOptions o;
    o.limit = 10;
    int pages = 0;
    for (;;) {
        const AccountPage p = accounts().list(o);
        ++pages;
        for (const auto& a : p.items) EXPECT_TRUE(seen.insert(a.id).second);
        if (p.next_cursor.empty()) break;
        o.after_id = p.next_cursor;
    }
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(seen.size(), 25u);
    AccountListOptions closed;
    closed.status = AccountStatus::closed;
    const auto page = accounts().list(closed);
    ASSERT_EQ(page.items.size(), 1u);
    EXPECT_EQ(page.items[0].id, created[3].id);
    AccountListOptions bad;
    bad.limit = 0;
    EXPECT_CV_ERROR(accounts().list(bad), Errc::invalid_argument);
}

TEST_F(AccountsTest, EraseCryptoShredsAndLeavesTombstone) {
    const Account a = accounts().create(ana());
    const Account b = accounts().create({"Bea Lima", std::string("bea@example.com"), {}, {}, {}});
    accounts().erase(a.id);
    const Account t = accounts().get(a.id);
    EXPECT_EQ(t.status, AccountStatus::erased);
    EXPECT_TRUE(t.fields.name.empty());
    EXPECT_FALSE(t.fields.email);
    EXPECT_FALSE(accounts().find_by_email("ana@example.com"));
    EXPECT_NO_THROW(accounts().erase(a.id));  // idempotent
    EXPECT_CV_ERROR(accounts().update(a.id, AccountUpdate{std::string("X"), {}, {}, {}, {}}), Errc::invalid_argument);
    EXPECT_EQ(accounts().get(b.id).fields.name, "Bea Lima");
    // The data key is gone and the email may be registered again.
    auto raw = raw_sql(path_);
    EXPECT_FALSE(raw->subject_key(a.id));
    EXPECT_TRUE(raw->subject_key(b.id));
    raw.reset();
    EXPECT_NO_THROW(accounts().create({"Ana Again", std::string("ana@example.com"), {}, {}, {}}));
}

TEST_F(AccountsTest, ErasedSubjectsOldCiphertextCannotBeOpened) {
    // Keep a copy of a sealed field, erase, and put the copy back: the field
    // cannot be opened, because the subject's data key is gone.
    const Account a = accounts().create(ana());
    auto raw = raw_sql(path_);
    const store::Bytes sealed = raw->account(a.id)->name.value();
    raw.reset();
    accounts().erase(a.id);
    raw = raw_sql(path_);
    auto row = raw->account(a.id).value();
    row.status = 0;
    row.name = sealed;
    raw->update_account(row);
    raw.reset();
    EXPECT_CV_ERROR(accounts().get(a.id), Errc::corrupt);
}

TEST_F(AccountsTest, CiphertextMovedToAnotherRowOrColumnFailsToOpen) {
    const Account a = accounts().create(ana());
    const Account b = accounts().create({"Bea Lima", std::string("bea@example.com"), {}, {}, {}});
    raw_exec(path_, "UPDATE accounts SET company = address WHERE id = '" + a.id + "'");
    EXPECT_CV_ERROR(accounts().get(a.id), Errc::corrupt);
    raw_exec(path_, "UPDATE accounts SET name = (SELECT name FROM accounts WHERE id = '" + a.id +
                        "') WHERE id = '" + b.id + "'");
    EXPECT_CV_ERROR(accounts().get(b.id), Errc::corrupt);
}

TEST_F(AccountsTest, NoPlaintextInTheFilesAfterWritesAndAfterErasure) {
    const std::vector<std::string> canaries = {"Zyxwv Canary-Name", "canary.zyxwv@example.com", "+1 999 555 0199",
                                               "19995550199", "77 Canary Lane Zyxwv", "Zyxwv Canary Corp"};
    std::vector<AccountFields> batch;
    batch.push_back({canaries[0], canaries[1], canaries[2], canaries[4], canaries[5]});
    for (int i = 0; i < 50; ++i) batch.push_back({"Filler " + std::to_string(i), "f" + std::to_string(i) + "@example.com", {}, {}, {}});
    const auto created = accounts().create_many(batch);
    accounts().get(created[0].id);
    accounts().find_by_email(canaries[1]);
    EXPECT_EQ(canaries_in_files(path_, canaries), std::vector<std::string>{});
    accounts().erase(created[0].id);
    EXPECT_EQ(canaries_in_files(path_, canaries), std::vector<std::string>{});
    vault_->close();
    EXPECT_EQ(canaries_in_files(path_, canaries), std::vector<std::string>{});
}

TEST_F(AccountsTest, EveryPersonalDataAccessIsAudited) {
    const Account a = accounts().create(ana());
    accounts().get(a.id);
    accounts().find_by_email("ana@example.com");
    accounts().find_by_email("nobody@example.com");
    accounts().update(a.id, AccountUpdate{std::string("Ana S."), {}, {}, {}, {}});
    accounts().list();
    accounts().erase(a.id);
    std::vector<std::string> actions;
    for (const auto& e : vault_->audit().read()) actions.push_back(e.action);
    const std::vector<std::string> expected = {"store.create", "account.create", "account.read", "account.read",
                                               "account.find", "account.update", "account.read", "account.erase"};
    EXPECT_EQ(actions, expected);
    AuditFilter f;
    f.subject = a.id;
    for (const auto& e : vault_->audit().read(f)) {
        EXPECT_EQ(e.subject, a.id);
        EXPECT_EQ(e.actor, "host");
        EXPECT_EQ(e.at, clock_.now);
        EXPECT_EQ(e.reason.find('@'), std::string::npos);
    }
}

TEST(AccountsThreads, OneVaultServesSeveralThreads) {
    TempDir dir;
    const auto path = dir.path("threads.db");
    Vault v = Vault::open(path, key_options());
    constexpr int kThreads = 4, kEach = 50;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            try {
                for (int i = 0; i < kEach; ++i) {
                    const std::string email = "t" + std::to_string(t) + "-" + std::to_string(i) + "@example.com";
                    const Account a = v.accounts().create({"Thread Person", email, {}, {}, {}});
                    if (v.accounts().find_by_email(email).value().id != a.id) ++failures;
                }
            } catch (const Error&) {
                ++failures;
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(v.accounts().count(), kThreads * kEach);
    const auto r = v.audit().verify();
    EXPECT_TRUE(r.ok) << r.problem;
    EXPECT_EQ(r.entries, 1 + 2 * kThreads * kEach);  // store.create, then a create and a read each
}
