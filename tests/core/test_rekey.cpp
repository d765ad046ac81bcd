#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "test_util.hpp"

using namespace casevault;
using namespace cvtest;

namespace {
std::vector<std::string> fill(Vault& v, int n) {
    std::vector<AccountFields> batch;
    for (int i = 0; i < n; ++i) {
        batch.push_back({"Person " + std::to_string(i), "person" + std::to_string(i) + "@example.com",
                         "+1 555 010 " + std::to_string(1000 + i), std::string("Street ") + std::to_string(i), {}});
    }
    std::vector<std::string> ids;
    for (const auto& a : v.accounts().create_many(batch)) ids.push_back(a.id);
    return ids;
}
}  // namespace

TEST(Rekey, PassphraseChangeKeepsEverythingAndRetiresTheOldSecret) {
    TempDir dir;
    const auto path = dir.path("r.db");
    std::vector<std::string> ids;
    std::vector<Progress> seen;
    {
        Vault v = Vault::open(path, pass_options("old secret"));
        ids = fill(v, 600);
        v.accounts().erase(ids[5]);
        v.change_passphrase("new secret", KdfParams{1, 14}, [&](const Progress& p) {
            seen.push_back(p);
            return true;
        });
        // Still usable without reopening.
        EXPECT_EQ(v.accounts().find_by_email("person7@example.com").value().id, ids[7]);
        EXPECT_TRUE(v.audit().verify().ok);
    }
    ASSERT_FALSE(seen.empty());
    std::set<std::string> phases;
    for (const auto& p : seen) {
        phases.insert(p.phase);
        EXPECT_LE(p.done, p.total);
    }
    for (const char* ph : {"copy", "reindex", "rewrap", "audit", "swap"}) EXPECT_TRUE(phases.count(ph)) << ph;

    EXPECT_CV_ERROR(Vault::open(path, pass_options("old secret")), Errc::wrong_key);
    Vault v = Vault::open(path, pass_options("new secret"));
    EXPECT_EQ(v.info().kdf.memlimit_log2, 14u);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const Account a = v.accounts().get(ids[i]);
        if (i == 5) {
            EXPECT_EQ(a.status, AccountStatus::erased);
        } else {
            EXPECT_EQ(a.fields.name, "Person " + std::to_string(i));
        }
    }
    EXPECT_EQ(v.accounts().find_by_phone("+1 555 010 1599").value().id, ids[599]);
    const auto r = v.audit().verify();
    EXPECT_TRUE(r.ok) << r.problem;
    AuditFilter f;
    f.action = "store.rekey";
    EXPECT_EQ(v.audit().read(f).size(), 1u);
}

TEST(Rekey, RawKeyChangeAndSwitchFromPassphrase) {
    TempDir dir;
    const auto path = dir.path("k.db");
    std::string id;
    {
        Vault v = Vault::open(path, pass_options("pw"));
        id = v.accounts().create({"Kim", std::string("kim@example.com"), {}, {}, {}}).id;
        v.change_key(test_key(9));
    }
    EXPECT_CV_ERROR(Vault::open(path, pass_options("pw")), Errc::wrong_key);
    Vault v = Vault::open(path, key_options(9));
    EXPECT_EQ(v.info().key_mode, "raw");
    EXPECT_EQ(v.accounts().get(id).fields.name, "Kim");
    EXPECT_CV_ERROR(v.change_key(std::vector<std::uint8_t>(31, 0)), Errc::invalid_argument);
    EXPECT_CV_ERROR(v.change_passphrase(""), Errc::invalid_argument);
}

TEST(Rekey, CancelLeavesTheStoreAsItWas) {
    TempDir dir;
    const auto path = dir.path("c.db");
    Vault v = Vault::open(path, key_options(1));
    const auto ids = fill(v, 300);
    int calls = 0;
    EXPECT_CV_ERROR(v.change_key(test_key(2), [&](const Progress& p) { return ++calls < 5 && p.phase != "rewrap"; }),
                    Errc::cancelled);
    EXPECT_GT(calls, 0);
    EXPECT_EQ(v.accounts().get(ids[10]).fields.name, "Person 10");
    v.close();
    EXPECT_CV_ERROR(Vault::open(path, key_options(2)), Errc::wrong_key);
    EXPECT_NO_THROW(Vault::open(path, key_options(1)));
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(path).parent_path())) {
        EXPECT_EQ(entry.path().filename().string().find(".rekey"), std::string::npos) << entry.path();
    }
}

TEST(Rekey, RefusesToRekeyOverATamperedAuditChain) {
    TempDir dir;
    const auto path = dir.path("t.db");
    { Vault v = Vault::open(path, key_options(1)); fill(v, 3); }
    raw_exec(path, "UPDATE audit SET actor = 'mallory' WHERE seq = 2", 1);
    Vault v = Vault::open(path, key_options(1));
    EXPECT_CV_ERROR(v.change_key(test_key(2)), Errc::corrupt);
    v.close();
    EXPECT_NO_THROW(Vault::open(path, key_options(1)));
}

TEST(Rekey, NoPlaintextInTheNewFile) {
    TempDir dir;
    const auto path = dir.path("p.db");
    Vault v = Vault::open(path, key_options(1));
    v.accounts().create({"Qwzx Canary", std::string("qwzx.canary@example.com"), {}, {}, {}});
    v.change_key(test_key(2));
    v.close();
    EXPECT_EQ(canaries_in_files(path, {"Qwzx Canary", "qwzx.canary@example.com"}), std::vector<std::string>{});
}

TEST(Rekey, KeepsPermissionsAndFollowsTheOpenedPathAfterChdir) {
    TempDir dir;
    const auto path = dir.path("perm.db");
    {
        Vault v = Vault::open(path, key_options(1));
        struct stat sb {};
        ASSERT_EQ(stat(path.c_str(), &sb), 0);
        EXPECT_EQ(sb.st_mode & 0777, 0600u);  // new stores are private to their owner
    }
    ASSERT_EQ(chmod(path.c_str(), 0640), 0);
    const auto cwd = std::filesystem::current_path();
    std::filesystem::current_path(dir.path(""));
    Vault v = Vault::open("perm.db", key_options(1));  // a relative path
    TempDir elsewhere;
    std::filesystem::current_path(elsewhere.path(""));
    v.accounts().create({"Perm", std::string("perm@example.com"), {}, {}, {}});
    v.change_key(test_key(2));
    std::filesystem::current_path(cwd);
    struct stat sb {};
    ASSERT_EQ(stat(path.c_str(), &sb), 0);
    EXPECT_EQ(sb.st_mode & 0777, 0640u);
    EXPECT_FALSE(std::filesystem::exists(elsewhere.path("perm.db")));
    v.close();
    EXPECT_CV_ERROR(Vault::open(path, key_options(1)), Errc::wrong_key);  // the original file was re-keyed
    EXPECT_EQ(Vault::open(path, key_options(2)).accounts().count(), 1);
}
