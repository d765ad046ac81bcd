#include "crypto/primitives.hpp"

#include <pthread.h>
#include <sodium.h>

#include <atomic>
#include <cstring>

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

namespace {
std::atomic<unsigned> g_fork_generation{0};
void after_fork_in_child() { g_fork_generation.fetch_add(1); }

struct PublicRandomBuffer {
    unsigned char bytes[4096];
    std::size_t used = sizeof bytes;
    unsigned generation = 0;
};
}  // namespace

void random_public(unsigned char* out, std::size_t n) {
    static const int registered = (init(), pthread_atfork(nullptr, nullptr, after_fork_in_child));
    (void)registered;
    thread_local PublicRandomBuffer buf;
    if (n > sizeof buf.bytes) {
        randombytes_buf(out, n);
        return;
    }
    // A child process must never reuse nonces its parent had buffered.
    const unsigned gen = g_fork_generation.load();
    if (buf.generation != gen || sizeof buf.bytes - buf.used < n) {
        randombytes_buf(buf.bytes, sizeof buf.bytes);
        buf.used = 0;
        buf.generation = gen;
    }
    std::memcpy(out, buf.bytes + buf.used, n);
    sodium_memzero(buf.bytes + buf.used, n);  // each byte is handed out once
    buf.used += n;
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
