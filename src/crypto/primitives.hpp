// Small libsodium-backed primitives shared by the other crypto modules and
// the domain: randomness, keyed hashing, constant-time comparison, hex.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace casevault::crypto {

using Bytes = std::vector<unsigned char>;

// Initialises libsodium once; throws Error(internal) if it cannot.
void init();

// Randomness from a per-thread buffer in sodium_malloc'd memory, refilled
// from the OS (one system call per 4 KiB instead of one per key or nonce).
// Every byte is handed out once and wiped from the buffer; a child process
// after fork() refills before its first use, so it never repeats its parent's
// bytes (a repeated nonce would break XChaCha20-Poly1305).
void random_bytes(unsigned char* out, std::size_t n);

// BLAKE2b with a key: out_len in 16..64, key_len in 16..64.
void keyed_hash(unsigned char* out, std::size_t out_len, const unsigned char* key,
                std::size_t key_len, const unsigned char* msg, std::size_t msg_len);

// SHA-256 of data, as 64 lowercase hex digits (policy document hashes).
std::string sha256_hex(const std::string& data);

// SHA-256 of a file's bytes, streamed (backup checksums). Throws Error(io).
std::string sha256_file_hex(const std::string& path);

// Constant-time equality of two equal-length buffers.
bool equal_ct(const unsigned char* a, const unsigned char* b, std::size_t n);

void wipe(void* p, std::size_t n);

std::string to_hex(const unsigned char* p, std::size_t n);
// Returns false on bad hex or length mismatch.
bool from_hex(const std::string& hex, Bytes& out);

std::string sodium_version();

}  // namespace casevault::crypto
