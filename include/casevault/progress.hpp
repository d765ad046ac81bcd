// Progress reports of long operations (rekey, migrations, publish, sweep).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace casevault {

// Re-keying reports these phases in order: "derive" (Argon2id), "copy"
// (every page into the new file), "reindex" (blind indexes, per account),
// "reindex_cases" (receipt numbers, per case), "reindex_messages" (senders,
// per message), "rewrap" (data keys, per subject), "audit" (the chain, per
// entry), "swap"
// (the new file replaces the old; its final report cannot cancel).
struct Progress {
    std::string phase;
    std::int64_t done = 0;
    std::int64_t total = 0;
};
// Return false to cancel; the operation then fails with Errc::cancelled and
// leaves the store as it was.
using ProgressFn = std::function<bool(const Progress&)>;

}  // namespace casevault
