// The audit chain finds edits, deletions, insertions and reordering made
// with raw SQL by someone who holds the key.
#include <gtest/gtest.h>

#include "test_util.hpp"

using namespace casevault;
using namespace cvtest;

namespace {

class AuditTest : public ::testing::Test {
protected:
    AuditTest() : path_(dir_.path("audit.db")) {
        OpenOptions o = key_options();
        o.clock = clock_.fn();
        Vault v = Vault::open(path_, o);
        for (int i = 0; i < 5; ++i) {
            ids_.push_back(v.accounts().create({"P" + std::to_string(i), "p" + std::to_string(i) + "@example.com", {}, {}, {}}).id);
            clock_.now += 10;
        }
        // seq 1 store.create, 2..6 account.create
        const auto r = v.audit().verify();
        EXPECT_TRUE(r.ok);
        EXPECT_EQ(r.entries, 6);
        head_ = r.head;
    }
    AuditVerifyResult verify(const std::optional<std::string>& head = std::nullopt) {
        return Vault::open(path_, key_options()).audit().verify(head);
    }

    TempDir dir_;
    ManualClock clock_;
    std::string path_;
    std::vector<std::string> ids_;
    std::string head_;
};

}  // namespace

TEST_F(AuditTest, EditIsFound) {
    raw_exec(path_, "UPDATE audit SET actor = 'mallory' WHERE seq = 4");
    const auto r = verify();
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.first_bad_seq, 4);
    EXPECT_FALSE(r.problem.empty());
}

TEST_F(AuditTest, DeletionIsFound) {
    raw_exec(path_, "DELETE FROM audit WHERE seq = 3");
    const auto r = verify();
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.first_bad_seq, 4);
}

TEST_F(AuditTest, InsertionIsFound) {
    // Shift the tail and insert a forged entry with a copied MAC.
    raw_exec(path_,
             "UPDATE audit SET seq = seq + 100 WHERE seq >= 4; UPDATE audit SET seq = seq - 99 WHERE seq >= 104;"
             "INSERT INTO audit(seq, at, actor, action, subject, target, outcome, reason, mac) "
             "SELECT 4, at, actor, 'account.erase', subject, target, outcome, reason, mac FROM audit WHERE seq = 3");
    const auto r = verify();
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.first_bad_seq, 4);
}

TEST_F(AuditTest, ReorderingIsFound) {
    raw_exec(path_, "UPDATE audit SET seq = 100 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 5;"
                    "UPDATE audit SET seq = 5 WHERE seq = 100");
    const auto r = verify();
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.first_bad_seq, 3);
}

TEST_F(AuditTest, TruncatedTailIsFoundAgainstARecordedHead) {
    raw_exec(path_, "DELETE FROM audit WHERE seq = 6");
    EXPECT_TRUE(verify().ok);  // without an anchor a shorter chain is still a chain
    const auto r = verify(head_);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.first_bad_seq, 6);
    EXPECT_NE(r.problem.find("truncated"), std::string::npos);
}

TEST_F(AuditTest, RecordedHeadStillVerifiesAfterMoreEntries) {
    {
        Vault v = Vault::open(path_, key_options());
        v.accounts().get(ids_[0]);
    }
    EXPECT_TRUE(verify(head_).ok);
    EXPECT_CV_ERROR(verify(std::string("garbage")), Errc::invalid_argument);
}

TEST_F(AuditTest, ReadFilters) {
    Vault v = Vault::open(path_, key_options());
    AuditFilter by_subject;
    by_subject.subject = ids_[2];
    auto entries = v.audit().read(by_subject);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].action, "account.create");

    AuditFilter prefix;
    prefix.action = "account.";
    EXPECT_EQ(v.audit().read(prefix).size(), 5u);
    AuditFilter exact;
    exact.action = "store.create";
    EXPECT_EQ(v.audit().read(exact).size(), 1u);

    AuditFilter window;
    window.since = clock_.now - 40;  // the creates were 10 s apart
    window.until = clock_.now - 10;
    EXPECT_EQ(v.audit().read(window).size(), 3u);

    AuditFilter paged;
    paged.limit = 2;
    paged.after_seq = 2;
    entries = v.audit().read(paged);
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].seq, 3);

    AuditFilter actor;
    actor.actor = "nobody";
    EXPECT_TRUE(v.audit().read(actor).empty());
    AuditFilter bad;
    bad.limit = 0;
    EXPECT_CV_ERROR(v.audit().read(bad), Errc::invalid_argument);
}

TEST(AuditReads, BatchedReadEntriesAreWrittenByTheNextWriteOrAtClose) {
    TempDir dir;
    const auto path = dir.path("b.db");
    Vault v = Vault::open(path, key_options());
    const auto id = v.accounts().create({"R", std::string("r@example.com"), {}, {}, {}}).id;
    v.accounts().get(id);
    v.accounts().find_by_email("r@example.com");
    EXPECT_EQ(raw_sql(path)->count_audit(), 2);  // store.create, account.create: the reads wait
    v.accounts().set_status(id, AccountStatus::cancelled);
    EXPECT_EQ(raw_sql(path)->count_audit(), 5);  // written, in order, before the write's own entry
    v.accounts().get(id);
    v.close();
    EXPECT_EQ(raw_sql(path)->count_audit(), 6);
    Vault again = Vault::open(path, key_options());
    std::vector<std::string> actions;
    for (const auto& e : again.audit().read()) actions.push_back(e.action);
    EXPECT_EQ(actions, (std::vector<std::string>{"store.create", "account.create", "account.read", "account.read",
                                                 "account.status", "account.read"}));
    EXPECT_TRUE(again.audit().verify().ok);
}

TEST(AuditReads, UnbatchedReadsAreWrittenAtOnce) {
    TempDir dir;
    const auto path = dir.path("u.db");
    OpenOptions o = key_options();
    o.batch_read_audit = false;
    Vault v = Vault::open(path, o);
    const auto id = v.accounts().create({"R", std::string("r@example.com"), {}, {}, {}}).id;
    v.accounts().get(id);
    EXPECT_EQ(raw_sql(path)->count_audit(), 3);
}

TEST(AuditReads, ManyReadsFlushOnTheirOwn) {
    TempDir dir;
    const auto path = dir.path("m.db");
    Vault v = Vault::open(path, key_options());
    const auto id = v.accounts().create({"R", std::string("r@example.com"), {}, {}, {}}).id;
    for (int i = 0; i < 300; ++i) v.accounts().get(id);
    EXPECT_GE(raw_sql(path)->count_audit(), 2 + 256);
}
