#include "posts/post_service.hpp"

#include "casevault/accounts.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"

namespace casevault::posts {

namespace {

std::string post_target(const std::string& id) { return access::Guard::target_name(RecordKind::post, id); }

access::Target target_of(const store::PostRow& row) {
    access::Target t;
    t.kind = RecordKind::post;
    t.subject = row.author.value_or("");
    t.public_content = true;
    return t;
}

Post to_post(const store::PostRow& r) { return Post{r.id, r.author, r.title, r.body, r.created_at}; }

}  // namespace

Post PostService::publish(const accounts::Context& ctx, const std::string& actor_id, const PostFields& f) {
    const access::Actor actor = d_.guard.actor(actor_id, "write post", f.author);
    records::check_id(f.author, "acc", "an account");
    const auto account = d_.store.account(f.author);
    if (!account || account->status == static_cast<int>(AccountStatus::erased)) {
        fail(Errc::not_found, "no live account with this id");
    }
    store::PostRow row;
    row.id = new_id("pst");
    row.author = f.author;
    d_.guard.require(ctx.now, actor, Action::write, target_of(row), post_target(row.id));
    row.title = records::text_field(f.title, "title", 300, false);
    row.body = records::text_field(f.body, "body", 64 * 1024, true);
    row.created_at = ctx.now;
    d_.store.insert_post(row);
    d_.log.append(ctx.now, actor.id, "post.publish", f.author, post_target(row.id), "ok", "");
    return to_post(row);
}

Post PostService::get(const accounts::Context& ctx, const std::string& actor_id, const std::string& post_id) {
    const access::Actor actor = d_.guard.actor(actor_id, "read " + post_target(post_id));
    records::check_id(post_id, "pst", "a post");
    const auto row = d_.store.post(post_id);
    if (!row) fail(Errc::not_found, "no post with this id");
    d_.guard.require(ctx.now, actor, Action::read, target_of(*row), post_target(post_id));
    return to_post(*row);  // public content: reading it is not audited
}

PostPage PostService::list(const accounts::Context& ctx, const std::string& actor_id, const PostListOptions& o) {
    const access::Actor actor = d_.guard.actor(actor_id, "read post");
    if (o.limit < 1 || o.limit > 10000) fail(Errc::invalid_argument, "limit must be 1..10000");
    if (!o.after_id.empty()) records::check_id(o.after_id, "pst", "a post");
    if (o.author) records::check_id(*o.author, "acc", "an account");
    const auto rows = d_.store.posts(o.after_id, o.limit, o.author);
    PostPage page;
    for (const auto& row : rows) {
        if (d_.guard.decide(ctx.now, actor, Action::read, target_of(row)).allowed) page.items.push_back(to_post(row));
    }
    if (rows.size() == o.limit) page.next_cursor = rows.back().id;
    return page;
}

void PostService::remove(const accounts::Context& ctx, const std::string& actor_id, const std::string& post_id) {
    const access::Actor actor = d_.guard.actor(actor_id, "erase " + post_target(post_id));
    records::check_id(post_id, "pst", "a post");
    const auto row = d_.store.post(post_id);
    if (!row) fail(Errc::not_found, "no post with this id");
    d_.guard.require(ctx.now, actor, Action::erase, target_of(*row), post_target(post_id));
    d_.store.delete_post(post_id);
    d_.guard.forget_records();
    d_.log.append(ctx.now, actor.id, "post.remove", row->author.value_or(""), post_target(post_id), "ok", "");
}

}  // namespace casevault::posts
