// Message-board posts: public content written by an account, stored as
// such (not sealed). When the author is erased, the policy decides: the
// posts are deleted, or kept anonymised (author unlinked) — the action of
// the retention rule triggered by "deletion_request" on a category of kind
// "public"; without such a rule they are deleted.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "casevault/export.hpp"

namespace casevault {

// title at most 300 bytes, body at most 64 KiB; no card numbers.
struct PostFields {
    std::string author;
    std::string title;
    std::string body;
};

struct Post {
    std::string id;  // "pst_..."
    std::optional<std::string> author;  // none once anonymised
    std::string title, body;
    std::int64_t created_at = 0;
};

struct PostListOptions {
    std::string after_id;
    std::size_t limit = 100;            // 1..10000
    std::optional<std::string> author;  // only this author's posts
};

struct PostPage {
    std::vector<Post> items;
    std::string next_cursor;
};

class VaultCore;

class CASEVAULT_EXPORT Posts {
public:
    explicit Posts(std::shared_ptr<VaultCore> core) : core_(std::move(core)) {}

    Post publish(const std::string& actor, const PostFields& fields);
    Post get(const std::string& actor, const std::string& post_id);
    PostPage list(const std::string& actor, const PostListOptions& options = {});
    void remove(const std::string& actor, const std::string& post_id);  // erase action

private:
    std::shared_ptr<VaultCore> core_;
};

}  // namespace casevault
