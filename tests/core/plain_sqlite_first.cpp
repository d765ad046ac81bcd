// A host process that loaded plain SQLite before casevault (libsqlite3 comes
// first in this executable's NEEDED list, so its sqlite3_* symbols win).
// casevault must either still encrypt or refuse with no_codec; it must never
// write a plaintext store.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "casevault/casevault.hpp"

extern "C" const char* sqlite3_libversion(void);

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    const std::string path = argv[1];
    for (const char* s : {"", "-wal", "-shm"}) std::remove((path + s).c_str());
    std::printf("process SQLite: %s\n", sqlite3_libversion());

    casevault::OpenOptions o;
    o.key = std::vector<std::uint8_t>(32, 0x42);
    const std::string canary = "plainfirst.canary@example.com";
    bool refused = false;
    try {
        casevault::Vault v = casevault::Vault::open(path, o);
        v.accounts().create({"Plain First", canary, {}, {}, {}});
    } catch (const casevault::Error& e) {
        if (e.code() != casevault::Errc::no_codec) {
            std::printf("FAIL: unexpected error %s: %s\n", casevault::errc_name(e.code()), e.what());
            return 1;
        }
        std::printf("refused as expected: %s\n", e.what());
        refused = true;
    }
    for (const char* s : {"", "-wal", "-shm"}) {
        std::ifstream in(path + s, std::ios::binary);
        const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (data.find(canary) != std::string::npos || data.rfind("SQLite format 3", 0) == 0) {
            std::printf("FAIL: plaintext in %s%s\n", path.c_str(), s);
            return 1;
        }
        if (refused && !data.empty()) {
            std::printf("FAIL: a refused open left %s%s behind\n", path.c_str(), s);
            return 1;
        }
    }
    std::printf("ok: %s\n", refused ? "refused without writing" : "store is encrypted");
    return 0;
}
