#include "crypto/primitives.hpp"

#include <sodium.h>

#include "common/error.hpp"

namespace casevault::crypto {

void init() {
    static const int rc = sodium_init();
    if (rc < 0) fail(Errc::internal, "libsodium could not be initialised");
}

void random_bytes(unsigned char* out, std::size_t n) {
    init();
    randombytes_buf(out, n);
}

void keyed_hash(unsigned char* out, std::size_t out_len, const unsigned char* key,
                std::size_t key_len, const unsigned char* msg, std::size_t msg_len) {
    if (crypto_generichash(out, out_len, msg, msg_len, key, key_len) != 0) {
        fail(Errc::internal, "keyed hash failed");
    }
}

bool equal_ct(const unsigned char* a, const unsigned char* b, std::size_t n) {
    return sodium_memcmp(a, b, n) == 0;
}

void wipe(void* p, std::size_t n) { sodium_memzero(p, n); }

std::string to_hex(const unsigned char* p, std::size_t n) {
    std::string out(n * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), p, n);
    out.pop_back();
    return out;
}

bool from_hex(const std::string& hex, Bytes& out) {
    out.assign(hex.size() / 2 + 1, 0);
    std::size_t len = 0;
    const char* end = nullptr;
    if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, &end) != 0 ||
        end != hex.data() + hex.size()) {
        out.clear();
        return false;
    }
    out.resize(len);
    return true;
}

std::string sodium_version() { return sodium_version_string(); }

}  // namespace casevault::crypto
