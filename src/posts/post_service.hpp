// Board posts: public content by an account, kept in the clear (it is
// published); the author link is what erasure removes or deletes with it.
#pragma once

#include "casevault/posts.hpp"
#include "records/record_support.hpp"

namespace casevault::posts {

class PostService {
public:
    explicit PostService(records::Deps deps) : d_(deps) {}

    Post publish(const accounts::Context& ctx, const std::string& actor, const PostFields& fields);
    Post get(const accounts::Context& ctx, const std::string& actor, const std::string& post_id);
    PostPage list(const accounts::Context& ctx, const std::string& actor, const PostListOptions& options);
    void remove(const accounts::Context& ctx, const std::string& actor, const std::string& post_id);

private:
    records::Deps d_;
};

}  // namespace casevault::posts
