#include "vault/key_header.hpp"

#include <cstring>

#include "common/error.hpp"
#include "crypto/primitives.hpp"

namespace casevault::vault {

namespace {
constexpr std::size_t kRandom = 9;
constexpr std::size_t kCheckAt = 12;
constexpr std::size_t kCheckLen = 4;
constexpr unsigned char kMarker = 0xC0;

void compute_check(const KeyHeader& h, const crypto::SecretBytes& master, unsigned char out[16]) {
    crypto::keyed_hash(out, 16, master.data(), master.size(), h.bytes, kCheckAt);
}
}  // namespace

KeyHeader new_header(KeyMode mode, const KdfParams& kdf) {
    KeyHeader h;
    h.mode = mode;
    crypto::random_bytes(h.bytes, kRandom);
    h.bytes[9] = static_cast<unsigned char>(kMarker | static_cast<unsigned char>(mode));
    if (mode == KeyMode::passphrase) {
        crypto::check_kdf_params(kdf.opslimit, kdf.memlimit_log2);
        h.kdf = kdf;
        h.bytes[10] = static_cast<unsigned char>(kdf.opslimit);
        h.bytes[11] = static_cast<unsigned char>(kdf.memlimit_log2);
    } else {
        h.kdf = KdfParams{0, 0};
    }
    return h;
}

KeyHeader parse_header(const unsigned char bytes[store::kFileSaltBytes]) {
    KeyHeader h;
    std::memcpy(h.bytes, bytes, sizeof h.bytes);
    const unsigned char marker = bytes[9];
    if ((marker & 0xF0) != kMarker || (marker & 0x0F) > 1) {
        fail(Errc::corrupt, "not a casevault store (unknown file header)");
    }
    h.mode = static_cast<KeyMode>(marker & 0x0F);
    if (h.mode == KeyMode::passphrase) {
        h.kdf = KdfParams{bytes[10], bytes[11]};
        try {
            crypto::check_kdf_params(h.kdf.opslimit, h.kdf.memlimit_log2);
        } catch (const Error&) {
            fail(Errc::corrupt, "not a casevault store (bad key derivation parameters in the header)");
        }
    } else {
        h.kdf = KdfParams{0, 0};
    }
    return h;
}

crypto::SecretBytes derive_master(const KeyHeader& h, const crypto::SecretBytes& secret) {
    if (h.mode == KeyMode::raw) {
        if (secret.size() != crypto::kKeyBytes) fail(Errc::invalid_argument, "a raw key must be 32 bytes");
        return secret.clone();
    }
    // Argon2id's salt: the header's random and parameter bytes, padded.
    unsigned char salt[crypto::kSaltBytes] = {};
    std::memcpy(salt, h.bytes, kCheckAt);
    std::memcpy(salt + kCheckAt, "cv1", 3);
    return crypto::derive_master_from_passphrase(secret, salt, h.kdf.opslimit, h.kdf.memlimit_log2);
}

void set_key_check(KeyHeader& h, const crypto::SecretBytes& master) {
    unsigned char c[16];
    compute_check(h, master, c);
    std::memcpy(h.bytes + kCheckAt, c, kCheckLen);
    crypto::wipe(c, sizeof c);
}

bool key_check_matches(const KeyHeader& h, const crypto::SecretBytes& master) {
    unsigned char c[16];
    compute_check(h, master, c);
    const bool ok = crypto::equal_ct(c, h.bytes + kCheckAt, kCheckLen);
    crypto::wipe(c, sizeof c);
    return ok;
}

}  // namespace casevault::vault
