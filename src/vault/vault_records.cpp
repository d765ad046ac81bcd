// The public Principals, Cases, Correspondence, Billing and Posts views,
// Vault::can(), and how denials reach the audit log.
#include "common/error.hpp"
#include "common/ids.hpp"
#include "vault/vault_core.hpp"

namespace casevault {

// ---- VaultCore

void VaultCore::record_denial(const access::Denied& d) {
    // Called with mu_ held and no transaction open.
    if (log_->batch_reads()) {
        log_->append_read(clock_(), d.log_actor, "access.denied", d.subject, d.target, d.rule(), "denied");
        if (log_->pending() >= kMaxPendingReads) flush_locked();
        return;
    }
    auto entry = [&](accounts::Context& ctx) {
        log_->append(ctx.now, d.log_actor, "access.denied", d.subject, d.target, "denied", d.rule());
    };
    try {
        write_locked(entry);
    } catch (...) {
        // The store is busy or failing: the entry waits for the next write,
        // and the caller still gets its AccessDenied.
        log_->queue(clock_(), d.log_actor, "access.denied", d.subject, d.target, d.rule(), "denied");
    }
}

AccessVerdict VaultCore::can(const std::string& actor, Action action, const RecordRef& record) {
    std::lock_guard<std::mutex> lock(mu_);
    require_open();
    guard_->refresh();
    std::string log_actor;
    access::Target target;
    const access::Verdict v = guard_->can(clock_(), actor, action, record, log_actor, target);
    if (!v.allowed) {
        record_denial(access::Denied(v.rule, "", log_actor, target.subject,
                                     std::string(action_name(action)) + " " +
                                         access::Guard::target_name(record.kind, record.id)));
    }
    return AccessVerdict{v.allowed, v.rule};
}

store::PostsOnErasure VaultCore::posts_on_erasure() {
    const auto policy = consents_->policy();
    return policy && policy->anonymize_posts_on_erasure() ? store::PostsOnErasure::anonymize
                                                          : store::PostsOnErasure::remove;
}

// ---- Vault

Principals Vault::principals() { return Principals(core_); }
Cases Vault::cases() { return Cases(core_); }
Correspondence Vault::correspondence() { return Correspondence(core_); }
Billing Vault::billing() { return Billing(core_); }
Posts Vault::posts() { return Posts(core_); }

AccessVerdict Vault::can(const std::string& actor, Action action, const RecordRef& record) {
    return live(core_)->can(actor, action, record);
}

// ---- Principals

Principal Principals::add(Role role) {
    VaultCore* c = live(core_);
    if (role == Role::subject) fail(Errc::invalid_argument, "a data subject acts as its own account, not a principal");
    if (static_cast<int>(role) < 0 || static_cast<int>(role) > static_cast<int>(Role::agency)) {
        fail(Errc::invalid_argument, "unknown role");
    }
    return c->run([&](accounts::Context& ctx) {
        store::PrincipalRow row{new_id("prn"), static_cast<int>(role), ctx.now, true};
        c->store().insert_principal(row);
        c->audit_log().append(ctx.now, ctx.actor, "principal.add", "", "principal:" + row.id, "ok", role_name(role));
        return Principal{row.id, role, row.created_at, true};
    });
}

Principal Principals::get(const std::string& id) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context&) {
        if (is_valid_id(id, "acc")) {
            const auto a = c->store().account(id);
            if (!a || a->status == static_cast<int>(AccountStatus::erased)) fail(Errc::not_found, "no live account with this id");
            return Principal{a->id, Role::subject, a->created_at, true};
        }
        if (!is_valid_id(id, "prn")) fail(Errc::invalid_argument, "not a principal or account id");
        const auto p = c->store().principal(id);
        if (!p) fail(Errc::not_found, "no principal with this id");
        return Principal{p->id, static_cast<Role>(p->role), p->created_at, p->active};
    });
}

std::vector<Principal> Principals::list() {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context&) {
        std::vector<Principal> out;
        for (const auto& p : c->store().principals()) {
            out.push_back(Principal{p.id, static_cast<Role>(p.role), p.created_at, p.active});
        }
        return out;
    });
}

void Principals::disable(const std::string& id) {
    VaultCore* c = live(core_);
    if (!is_valid_id(id, "prn")) fail(Errc::invalid_argument, "not a principal id");
    c->run([&](accounts::Context& ctx) {
        const auto p = c->store().principal(id);
        if (!p) fail(Errc::not_found, "no principal with this id");
        if (p->active) c->store().set_principal_active(id, false);
        c->guard().forget_actor(id);
        c->audit_log().append(ctx.now, ctx.actor, "principal.disable", "", "principal:" + id, "ok",
                              p->active ? "" : "already_disabled");
    });
}

// ---- Cases

Case Cases::open(const std::string& actor, const std::string& subject, const CaseFields& fields) {
    VaultCore* c = live(core_);
    return c->run([&](accounts::Context& ctx) { return c->cases().open(ctx, actor, subject, fields); });
}

Case Cases::get(const std::string& actor, const std::string& case_id) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context& ctx) { return c->cases().get(ctx, actor, case_id); });
}

std::vector<Case> Cases::list(const std::string& actor, const std::string& subject) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context& ctx) { return c->cases().list(ctx, actor, subject); });
}

std::optional<Case> Cases::find_by_receipt(const std::string& actor, const std::string& receipt_number) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context& ctx) { return c->cases().find_by_receipt(ctx, actor, receipt_number); });
}

Case Cases::update(const std::string& actor, const std::string& case_id, const CaseUpdate& update) {
    VaultCore* c = live(core_);
    return c->run([&](accounts::Context& ctx) { return c->cases().update(ctx, actor, case_id, update); });
}

CaseStatus Cases::add_status(const std::string& actor, const std::string& case_id, const CaseStatus& status) {
    VaultCore* c = live(core_);
    return c->run([&](accounts::Context& ctx) { return c->cases().add_status(ctx, actor, case_id, status); });
}

std::vector<CaseStatus> Cases::history(const std::string& actor, const std::string& case_id) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context& ctx) { return c->cases().history(ctx, actor, case_id); });
}

CaseDocument Cases::add_document(const std::string& actor, const std::string& case_id, const DocumentFields& doc) {
    VaultCore* c = live(core_);
    return c->run([&](accounts::Context& ctx) { return c->cases().add_document(ctx, actor, case_id, doc); });
}

std::vector<CaseDocument> Cases::documents(const std::string& actor, const std::string& case_id) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context& ctx) { return c->cases().documents(ctx, actor, case_id); });
}

void Cases::remove_document(const std::string& actor, const std::string& document_id) {
    VaultCore* c = live(core_);
    c->run([&](accounts::Context& ctx) { c->cases().remove_document(ctx, actor, document_id); });
}

void Cases::assign(const std::string& case_id, const std::string& principal) {
    VaultCore* c = live(core_);
    c->run([&](accounts::Context& ctx) { c->cases().assign(ctx, case_id, principal); });
}

void Cases::unassign(const std::string& case_id, const std::string& principal) {
    VaultCore* c = live(core_);
    c->run([&](accounts::Context& ctx) { c->cases().unassign(ctx, case_id, principal); });
}

std::vector<std::string> Cases::assignees(const std::string& case_id) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context&) { return c->cases().assignees(case_id); });
}

// ---- Correspondence

Message Correspondence::record(const std::string& actor, const MessageFields& fields) {
    VaultCore* c = live(core_);
    return c->run([&](accounts::Context& ctx) { return c->correspondence().record_many(ctx, actor, {fields}).at(0); });
}

std::vector<Message> Correspondence::record_many(const std::string& actor, const std::vector<MessageFields>& batch) {
    VaultCore* c = live(core_);
    return c->run([&](accounts::Context& ctx) { return c->correspondence().record_many(ctx, actor, batch); });
}

Message Correspondence::get(const std::string& actor, const std::string& message_id) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context& ctx) { return c->correspondence().get(ctx, actor, message_id); });
}

MessagePage Correspondence::list(const std::string& actor, const std::string& subject,
                                 const MessageListOptions& options) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context& ctx) { return c->correspondence().list(ctx, actor, subject, options); });
}

std::optional<std::string> Correspondence::match_sender(const std::string& actor, const std::string& sender) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context& ctx) { return c->correspondence().match_sender(ctx, actor, sender); });
}

// ---- Billing

Payment Billing::record(const std::string& actor, const PaymentFields& fields) {
    VaultCore* c = live(core_);
    return c->run([&](accounts::Context& ctx) { return c->billing().record(ctx, actor, fields); });
}

Payment Billing::get(const std::string& actor, const std::string& payment_id) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context& ctx) { return c->billing().get(ctx, actor, payment_id); });
}

std::vector<Payment> Billing::list(const std::string& actor, const std::string& subject) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context& ctx) { return c->billing().list(ctx, actor, subject); });
}

// ---- Posts

Post Posts::publish(const std::string& actor, const PostFields& fields) {
    VaultCore* c = live(core_);
    return c->run([&](accounts::Context& ctx) { return c->posts().publish(ctx, actor, fields); });
}

Post Posts::get(const std::string& actor, const std::string& post_id) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context& ctx) { return c->posts().get(ctx, actor, post_id); });
}

PostPage Posts::list(const std::string& actor, const PostListOptions& options) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context& ctx) { return c->posts().list(ctx, actor, options); });
}

void Posts::remove(const std::string& actor, const std::string& post_id) {
    VaultCore* c = live(core_);
    c->run([&](accounts::Context& ctx) { c->posts().remove(ctx, actor, post_id); });
}

// ---- names of the frozen enums

const char* message_channel_name(MessageChannel c) noexcept {
    switch (c) {
        case MessageChannel::email: return "email";
        case MessageChannel::whatsapp: return "whatsapp";
        case MessageChannel::phone: return "phone";
        case MessageChannel::web_form: return "web_form";
        case MessageChannel::survey: return "survey";
    }
    return "unknown";
}

MessageChannel message_channel_from_name(const std::string& name) {
    for (int i = 0; i <= static_cast<int>(MessageChannel::survey); ++i) {
        if (name == message_channel_name(static_cast<MessageChannel>(i))) return static_cast<MessageChannel>(i);
    }
    fail(Errc::invalid_argument, "unknown channel (expected email, whatsapp, phone, web_form or survey)");
}

const char* direction_name(Direction d) noexcept {
    return d == Direction::inbound ? "inbound" : d == Direction::outbound ? "outbound" : "unknown";
}

Direction direction_from_name(const std::string& name) {
    if (name == "inbound") return Direction::inbound;
    if (name == "outbound") return Direction::outbound;
    fail(Errc::invalid_argument, "unknown direction (expected inbound or outbound)");
}

}  // namespace casevault
