#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "crypto/aead.hpp"
#include "crypto/blind_index.hpp"
#include "crypto/keys.hpp"
#include "test_util.hpp"

using namespace casevault;
using namespace casevault::crypto;

TEST(Crypto, SealOpensOnlyWithSameAssociatedData) {
    const SecretBytes key = random_key();
    const auto ad = field_ad("accounts", "email", "acc_1", 1);
    const Bytes sealed = seal(key, "ana@example.com", ad);
    EXPECT_EQ(open(key, sealed, ad).value(), "ana@example.com");
    EXPECT_FALSE(open(key, sealed, field_ad("accounts", "phone", "acc_1", 1)));  // other column
    EXPECT_FALSE(open(key, sealed, field_ad("accounts", "email", "acc_2", 1)));  // other row
    EXPECT_FALSE(open(key, sealed, field_ad("accounts", "email", "acc_1", 2)));  // other key version
    EXPECT_FALSE(open(key, sealed, field_ad("cases", "email", "acc_1", 1)));     // other table
    EXPECT_FALSE(open(random_key(), sealed, ad));                                 // other key
    Bytes flipped = sealed;
    flipped[30] ^= 1;
    EXPECT_FALSE(open(key, flipped, ad));
    EXPECT_FALSE(open(key, Bytes(10, 0), ad));  // too short
}

TEST(Crypto, SealUsesFreshNonces) {
    const SecretBytes key = random_key();
    EXPECT_NE(seal(key, "same", "ad"), seal(key, "same", "ad"));
}

TEST(Crypto, WrapAndUnwrapKeys) {
    const SecretBytes kek = random_key();
    const SecretBytes dk = random_key();
    const Bytes w = wrap_key(kek, dk, "subject-1");
    auto back = unwrap_key(kek, w, "subject-1");
    ASSERT_TRUE(back);
    EXPECT_TRUE(equal_ct(back->data(), dk.data(), dk.size()));
    EXPECT_FALSE(unwrap_key(kek, w, "subject-2"));
    EXPECT_FALSE(unwrap_key(random_key(), w, "subject-1"));
}

TEST(Crypto, PurposeKeysAreDistinctAndDeterministic) {
    const SecretBytes master = random_key();
    const PurposeKeys a = derive_purpose_keys(master);
    const PurposeKeys b = derive_purpose_keys(master);
    EXPECT_TRUE(equal_ct(a.page.data(), b.page.data(), kKeyBytes));
    const SecretBytes* all[] = {&a.page, &a.kek, &a.blind_index_root, &a.audit};
    for (int i = 0; i < 4; ++i) {
        for (int j = i + 1; j < 4; ++j) EXPECT_FALSE(equal_ct(all[i]->data(), all[j]->data(), kKeyBytes));
    }
}

TEST(Crypto, PassphraseDerivationDependsOnSaltAndParams) {
    const SecretBytes pass = secret_from_string("correct horse");
    unsigned char salt1[kSaltBytes] = {1}, salt2[kSaltBytes] = {2};
    const SecretBytes a = derive_master_from_passphrase(pass, salt1, 1, 13);
    const SecretBytes b = derive_master_from_passphrase(pass, salt2, 1, 13);
    const SecretBytes c = derive_master_from_passphrase(pass, salt1, 2, 13);
    const SecretBytes a2 = derive_master_from_passphrase(pass, salt1, 1, 13);
    EXPECT_TRUE(equal_ct(a.data(), a2.data(), kKeyBytes));
    EXPECT_FALSE(equal_ct(a.data(), b.data(), kKeyBytes));
    EXPECT_FALSE(equal_ct(a.data(), c.data(), kKeyBytes));
    EXPECT_CV_ERROR(derive_master_from_passphrase(pass, salt1, 0, 13), Errc::invalid_argument);
    EXPECT_CV_ERROR(derive_master_from_passphrase(pass, salt1, 1, 12), Errc::invalid_argument);
}

TEST(Crypto, BlindIndexIsPerColumnAndPerKey) {
    const SecretBytes root = random_key();
    BlindIndexer idx(root);
    BlindIndexer other(random_key());
    const Bytes d = idx.digest("accounts.email", "ana@example.com");
    EXPECT_EQ(d.size(), kBlindIndexBytes);
    EXPECT_EQ(d, idx.digest("accounts.email", "ana@example.com"));
    EXPECT_NE(d, idx.digest("accounts.phone", "ana@example.com"));
    EXPECT_NE(d, other.digest("accounts.email", "ana@example.com"));
    EXPECT_NE(d, idx.digest("accounts.email", "ana@example.org"));
}

TEST(Crypto, SecretBytesMoveLeavesSourceEmpty) {
    SecretBytes a = random_key();
    SecretBytes b = std::move(a);
    EXPECT_TRUE(a.empty());
    EXPECT_EQ(b.size(), kKeyBytes);
}

TEST(Crypto, ForkedChildNeverRepeatsItsParentsRandomBytes) {
    unsigned char warm[8];
    random_bytes(warm, sizeof warm);  // the parent's buffer now holds unused bytes
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        unsigned char child[32];
        random_bytes(child, sizeof child);
        const auto w = write(fds[1], child, sizeof child);
        _exit(w == static_cast<ssize_t>(sizeof child) ? 0 : 1);
    }
    unsigned char parent[32], child[32];
    random_bytes(parent, sizeof parent);
    ASSERT_EQ(read(fds[0], child, sizeof child), static_cast<ssize_t>(sizeof child));
    int status = 0;
    waitpid(pid, &status, 0);
    close(fds[0]);
    close(fds[1]);
    EXPECT_NE(std::memcmp(parent, child, sizeof parent), 0);
}
