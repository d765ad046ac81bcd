#include "crypto/primitives.hpp"

#include <sodium.h>

#include <cstdio>
#include <cstring>
#include <vector>

#include "common/error.hpp"
#include "common/process.hpp"

namespace casevault::crypto {

void init() {
    static const int rc = sodium_init();
    if (rc < 0) fail(Errc::internal, "libsodium could not be initialised");
}

namespace {

class RandomBuffer {
public:
    static constexpr std::size_t kSize = 4096;
    RandomBuffer() {
        bytes_ = static_cast<unsigned char*>(sodium_malloc(kSize));
        if (bytes_ == nullptr) fail(Errc::internal, "secure memory allocation failed");
    }
    ~RandomBuffer() { sodium_free(bytes_); }
    RandomBuffer(const RandomBuffer&) = delete;
    RandomBuffer& operator=(const RandomBuffer&) = delete;

    void take(unsigned char* out, std::size_t n) {
        const unsigned gen = fork_generation();
        if (generation_ != gen || kSize - used_ < n) {
            randombytes_buf(bytes_, kSize);
            used_ = 0;
            generation_ = gen;
        }
        std::memcpy(out, bytes_ + used_, n);
        sodium_memzero(bytes_ + used_, n);
        used_ += n;
    }

private:
    unsigned char* bytes_;
    std::size_t used_ = kSize;
    unsigned generation_ = 0;
};

}  // namespace

void random_bytes(unsigned char* out, std::size_t n) {
    init();
    if (n > RandomBuffer::kSize / 4) {
        randombytes_buf(out, n);
        return;
    }
    thread_local RandomBuffer buffer;
    buffer.take(out, n);
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

namespace casevault::crypto {

std::string sha256_file_hex(const std::string& path) {
    init();
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) fail(Errc::io, "cannot read the file to checksum it");
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    std::vector<unsigned char> buf(1 << 16);
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) crypto_hash_sha256_update(&st, buf.data(), n);
    const bool failed = std::ferror(f) != 0;
    std::fclose(f);
    if (failed) fail(Errc::io, "cannot read the file to checksum it");
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, out);
    return to_hex(out, sizeof out);
}

std::string sha256_hex(const std::string& data) {
    init();
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    return to_hex(out, sizeof out);
}

}  // namespace casevault::crypto
