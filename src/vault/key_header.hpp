// The 16 plaintext bytes at the start of a store file. SQLCipher keeps its
// salt there; casevault chooses that salt so the file also says how to derive
// its key and can tell a wrong key from a damaged file:
//
//   bytes 0..8   random
//   byte  9      0xC0 | mode (0 = raw host key, 1 = Argon2id passphrase)
//   byte  10     Argon2id opslimit (0 for raw keys)
//   byte  11     Argon2id memlimit as log2 bytes (0 for raw keys)
//   bytes 12..15 key check: BLAKE2b(master key, bytes 0..11), first 4 bytes
//
// The key check holds 32 bits about the key: enough to say "wrong key" with
// certainty 1 - 2^-32, too little to help an attacker, who can test a guess
// against the encrypted first page at the same cost anyway.
#pragma once

#include "casevault/vault.hpp"
#include "crypto/keys.hpp"
#include "store/sqlcipher_store.hpp"

namespace casevault::vault {

enum class KeyMode { raw = 0, passphrase = 1 };

struct KeyHeader {
    unsigned char bytes[store::kFileSaltBytes] = {};
    KeyMode mode = KeyMode::raw;
    KdfParams kdf;
};

// A header for a new store (check bytes still empty).
KeyHeader new_header(KeyMode mode, const KdfParams& kdf);
// Throws Error(corrupt) when the bytes are not a casevault header.
KeyHeader parse_header(const unsigned char bytes[store::kFileSaltBytes]);

// The master key from the host's secret, as the header says.
crypto::SecretBytes derive_master(const KeyHeader& h, const crypto::SecretBytes& secret);
void set_key_check(KeyHeader& h, const crypto::SecretBytes& master);
bool key_check_matches(const KeyHeader& h, const crypto::SecretBytes& master);

}  // namespace casevault::vault
