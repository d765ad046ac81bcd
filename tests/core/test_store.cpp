// Opening stores: keys, fail-closed checks, typed errors.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "test_util.hpp"
#include "vault/vault_core.hpp"

using namespace casevault;
using namespace cvtest;

TEST(Store, CreatesAnEncryptedFileAndReopens) {
    TempDir dir;
    const auto path = dir.path("s.db");
    {
        Vault v = Vault::open(path, key_options());
        EXPECT_TRUE(v.is_open());
        EXPECT_EQ(v.info().schema_version, store::latest_schema_version());
        EXPECT_EQ(v.info().key_mode, "raw");
    }
    const std::string bytes = read_file(path);
    ASSERT_GE(bytes.size(), 4096u);
    EXPECT_NE(bytes.compare(0, 15, "SQLite format 3"), 0);
    EXPECT_EQ(bytes.find("CREATE TABLE"), std::string::npos);  // the schema is encrypted too
    Vault v = Vault::open(path, key_options());
    EXPECT_EQ(v.info().accounts, 0);
}

TEST(Store, WrongKeyAndWrongPassphraseAreTyped) {
    TempDir dir;
    { Vault::open(dir.path("k.db"), key_options(1)); }
    EXPECT_CV_ERROR(Vault::open(dir.path("k.db"), key_options(2)), Errc::wrong_key);
    { Vault::open(dir.path("p.db"), pass_options("right")); }
    EXPECT_CV_ERROR(Vault::open(dir.path("p.db"), pass_options("wrong")), Errc::wrong_key);
    // A passphrase store opened with a raw key and vice versa.
    EXPECT_CV_ERROR(Vault::open(dir.path("p.db"), key_options(1)), Errc::wrong_key);
    EXPECT_CV_ERROR(Vault::open(dir.path("k.db"), pass_options("right")), Errc::wrong_key);
    // And the right secrets still work.
    EXPECT_NO_THROW(Vault::open(dir.path("p.db"), pass_options("right")));
}

TEST(Store, PassphraseParametersAreRecordedInTheFile) {
    TempDir dir;
    OpenOptions o = pass_options("pw");
    o.kdf = KdfParams{2, 14};
    { Vault::open(dir.path("p.db"), o); }
    OpenOptions reopen = pass_options("pw");  // different kdf in the options: the file's win
    Vault v = Vault::open(dir.path("p.db"), reopen);
    EXPECT_EQ(v.info().kdf.opslimit, 2u);
    EXPECT_EQ(v.info().kdf.memlimit_log2, 14u);
}

TEST(Store, RefusesFilesThatAreNotStores) {
    TempDir dir;
    write_file(dir.path("random.db"), std::string(8192, '\x5a'));
    EXPECT_CV_ERROR(Vault::open(dir.path("random.db"), key_options()), Errc::corrupt);
    write_file(dir.path("short.db"), "abc");
    EXPECT_CV_ERROR(Vault::open(dir.path("short.db"), key_options()), Errc::corrupt);

    // A plaintext SQLite database is refused, and left untouched.
    const auto plain = dir.path("plain.db");
    {
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(plain.c_str(), &db), SQLITE_OK);
        ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES('plain');", nullptr, nullptr, nullptr),
                  SQLITE_OK);
        sqlite3_close(db);
    }
    const std::string before = read_file(plain);
    EXPECT_CV_ERROR(Vault::open(plain, key_options()), Errc::corrupt);
    EXPECT_EQ(read_file(plain), before);
}

TEST(Store, FlippedByteIsCorruptNeverWrongData) {
    TempDir dir;
    const auto path = dir.path("f.db");
    std::string id;
    {
        Vault v = Vault::open(path, key_options());
        std::vector<AccountFields> batch;
        for (int i = 0; i < 200; ++i) {
            batch.push_back({"Person " + std::to_string(i), "p" + std::to_string(i) + "@example.com", std::nullopt,
                             std::string(200, 'a'), std::nullopt});
        }
        id = v.accounts().create_many(batch).front().id;
    }
    const std::string original = read_file(path);
    ASSERT_GT(original.size(), 3 * 4096u);
    // Page 1 (inside its encrypted part), then the data area of every other
    // page. (SQLCipher 3's per-page reserve ends in 12 padding bytes that its
    // HMAC does not cover; those hold no data.)
    std::vector<std::size_t> offsets = {100};
    for (std::size_t page = 4096; page < original.size(); page += 4096) offsets.push_back(page + 1000);
    for (std::size_t offset : offsets) {
        std::string damaged = original;
        damaged[offset] = static_cast<char>(damaged[offset] ^ 0x01);
        write_file(path, damaged);
        try {
            Vault v = Vault::open(path, key_options());
            // Damage in a page that open did not read is found by the check.
            v.check_integrity();
            ADD_FAILURE() << "damage at offset " << offset << " went unnoticed";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), Errc::corrupt) << "offset " << offset << ": " << e.what();
        }
    }
    write_file(path, original);
    Vault v = Vault::open(path, key_options());
    EXPECT_EQ(v.check_integrity(), static_cast<std::int64_t>(original.size() / 4096));
    EXPECT_NO_THROW(v.accounts().get(id));
}

TEST(Store, MissingFileWithoutCreateIsNotFound) {
    TempDir dir;
    OpenOptions o = key_options();
    o.create_if_missing = false;
    EXPECT_CV_ERROR(Vault::open(dir.path("none.db"), o), Errc::not_found);
    EXPECT_TRUE(read_file(dir.path("none.db")).empty());
}

TEST(Store, BadOptionsAreInvalidArgument) {
    TempDir dir;
    OpenOptions none;
    EXPECT_CV_ERROR(Vault::open(dir.path("a.db"), none), Errc::invalid_argument);
    OpenOptions both = key_options();
    both.passphrase = "x";
    EXPECT_CV_ERROR(Vault::open(dir.path("a.db"), both), Errc::invalid_argument);
    OpenOptions short_key;
    short_key.key = std::vector<std::uint8_t>(16, 1);
    EXPECT_CV_ERROR(Vault::open(dir.path("a.db"), short_key), Errc::invalid_argument);
    OpenOptions bad_kdf = pass_options("x");
    bad_kdf.kdf = KdfParams{0, 13};
    EXPECT_CV_ERROR(Vault::open(dir.path("a.db"), bad_kdf), Errc::invalid_argument);
    OpenOptions bad_actor = key_options();
    bad_actor.actor = "has space";
    EXPECT_CV_ERROR(Vault::open(dir.path("a.db"), bad_actor), Errc::invalid_argument);
    EXPECT_CV_ERROR(Vault::open("", key_options()), Errc::invalid_argument);
    EXPECT_TRUE(read_file(dir.path("a.db")).empty());  // nothing was created
}

TEST(Store, ClosedVaultRefusesCalls) {
    TempDir dir;
    Vault v = Vault::open(dir.path("c.db"), key_options());
    Accounts accounts = v.accounts();
    v.close();
    v.close();  // twice is fine
    EXPECT_FALSE(v.is_open());
    EXPECT_CV_ERROR(accounts.count(), Errc::closed);
    EXPECT_CV_ERROR(v.info(), Errc::closed);
}

TEST(Store, SecondWriterGetsLockedAfterTimeout) {
    TempDir dir;
    const auto path = dir.path("l.db");
    OpenOptions quick = key_options();
    quick.busy_timeout_ms = 50;
    Vault v = Vault::open(path, quick);
    auto other = raw_sql(path);
    other->db().exec("BEGIN IMMEDIATE", "test");
    EXPECT_CV_ERROR(v.accounts().create({"A", std::string("a@example.com"), {}, {}, {}}), Errc::locked);
    other->db().exec("ROLLBACK", "test");
    EXPECT_NO_THROW(v.accounts().create({"A", std::string("a@example.com"), {}, {}, {}}));
}

TEST(Store, EngineVersionsAreReported) {
    const EngineVersions e = engine_versions();
    EXPECT_EQ(e.casevault, version());
    EXPECT_FALSE(e.sqlcipher.empty());
    EXPECT_FALSE(e.sqlite.empty());
    EXPECT_FALSE(e.sodium.empty());
}

TEST(Store, PathWithNulIsRefused) {
    TempDir dir;
    const std::string path = dir.path("x.db") + std::string(1, '\0') + "junk";
    EXPECT_CV_ERROR(Vault::open(path, key_options()), Errc::invalid_argument);
}

TEST(Store, RacingCreatorsNeverDeleteEachOthersStore) {
    for (int trial = 0; trial < 10; ++trial) {
        TempDir dir;
        const auto path = dir.path("race.db");
        std::atomic<int> ok{0};
        std::vector<std::string> created_ids(2);
        auto opener = [&](int i) {
            try {
                Vault v = Vault::open(path, key_options());  // the same key: both must end up in one store
                created_ids[static_cast<std::size_t>(i)] =
                    v.accounts().create({"R" + std::to_string(i), "r" + std::to_string(i) + "@example.com", {}, {}, {}}).id;
                ++ok;
            } catch (const Error& e) {
                // Losing the race may surface as locked; never as data loss.
                EXPECT_EQ(e.code(), Errc::locked) << e.what();
            }
        };
        std::thread a(opener, 0), b(opener, 1);
        a.join();
        b.join();
        ASSERT_GE(ok.load(), 1);
        Vault v = Vault::open(path, key_options());
        for (const auto& id : created_ids) {
            if (!id.empty()) EXPECT_NO_THROW(v.accounts().get(id)) << "trial " << trial;
        }
    }
}

TEST(Store, AChildOfForkCannotUseOrFlushTheParentsVault) {
    TempDir dir;
    const auto path = dir.path("fork.db");
    Vault v = Vault::open(path, key_options());
    const auto id = v.accounts().create({"F", std::string("f@example.com"), {}, {}, {}}).id;
    v.accounts().get(id);  // one queued read entry
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        int code = 0;
        try {
            v.accounts().get(id);
            code = 1;  // must not work
        } catch (const Error& e) {
            code = e.code() == Errc::closed ? 0 : 2;
        }
        v.close();  // must not write the parent's queue
        _exit(code);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
    v.close();
    Vault again = Vault::open(path, key_options());
    AuditFilter reads;
    reads.action = "account.read";
    EXPECT_EQ(again.audit().read(reads).size(), 1u);  // written once, by the parent
    EXPECT_TRUE(again.audit().verify().ok);
}

TEST(Store, ViewsOutliveTheirVaultSafely) {
    TempDir dir;
    Accounts accounts = Vault::open(dir.path("v.db"), key_options()).accounts();  // the Vault is a temporary
    EXPECT_CV_ERROR(accounts.count(), Errc::closed);
}

TEST(Store, OversizedFilterValuesAreRefusedNotIgnored) {
    TempDir dir;
    Vault v = Vault::open(dir.path("o.db"), key_options());
    AuditFilter f;
    f.subject = std::string(1000, 'x');
    EXPECT_CV_ERROR(v.audit().read(f), Errc::invalid_argument);
}

TEST(Store, DurableOptionSyncsEveryCommit) {
    TempDir dir;
    OpenOptions o = key_options();
    o.durable = true;
    Vault durable = Vault::open(dir.path("d.db"), o);
    EXPECT_EQ(durable.core()->store().db().query_text("PRAGMA synchronous", "test").value(), "2");  // FULL
    Vault normal = Vault::open(dir.path("n.db"), key_options());
    EXPECT_EQ(normal.core()->store().db().query_text("PRAGMA synchronous", "test").value(), "1");  // NORMAL
    EXPECT_NO_THROW(durable.accounts().create({"D", std::string("d@example.com"), {}, {}, {}}));
}

TEST(Store, SchemaMigrationsAtOpenReportProgressAndCanBeCancelled) {
    TempDir dir;
    std::vector<Progress> seen;
    OpenOptions o = key_options();
    o.progress = [&](const Progress& p) {
        seen.push_back(p);
        return true;
    };
    { Vault v = Vault::open(dir.path("m.db"), o); }
    ASSERT_EQ(seen.size(), static_cast<std::size_t>(store::latest_schema_version()) + 1);  // 0 to the latest, step by step
    EXPECT_EQ(seen[0].phase, "migrate");
    EXPECT_EQ(seen[0].done, 0);
    EXPECT_EQ(seen.back().done, seen.back().total);
    seen.clear();
    { Vault v = Vault::open(dir.path("m.db"), o); }
    EXPECT_TRUE(seen.empty());  // nothing to migrate

    OpenOptions cancel = key_options();
    cancel.progress = [](const Progress&) { return false; };
    EXPECT_CV_ERROR(Vault::open(dir.path("c.db"), cancel), Errc::cancelled);
    EXPECT_TRUE(read_file(dir.path("c.db")).empty());  // the half-made store was removed
}
