// The public Policies, Consents and Outbox views and the decision fast path.
#include "vault/vault_core.hpp"

namespace casevault {

Decision VaultCore::may_process(const std::string& subject, const std::string& purpose, const std::string& scope) {
    std::lock_guard<std::mutex> lock(mu_);
    require_open();
    const Decision d = consents_->decide(clock_(), subject, purpose, scope);
    // The purpose is named only when the policy knows it: an unknown one is
    // the caller's free text and stays out of the log.
    if (!d.allowed) audit_denial(subject, d.reason == DecisionReason::purpose_unknown ? "" : "purpose:" + purpose, d);
    return d;
}

Decision VaultCore::visitor_may(const std::string& visitor_id, const std::string& category) {
    std::lock_guard<std::mutex> lock(mu_);
    require_open();
    std::string subject;
    const Decision d = consents_->decide_visitor(clock_(), visitor_id, category, subject);
    if (!d.allowed) audit_denial(subject, d.reason == DecisionReason::purpose_unknown ? "" : "cookie:" + category, d);
    return d;
}

void VaultCore::audit_denial(const std::string& subject, const std::string& target, const Decision& d) {
    const std::string reason = decision_reason_name(d.reason);
    if (log_->batch_reads()) {
        log_->append_read(clock_(), actor_, "consent.decision", subject, target, reason, "denied");
        if (log_->pending() >= kMaxPendingReads) flush_locked();
        return;
    }
    auto write = [&](accounts::Context& ctx) {
        log_->append(ctx.now, ctx.actor, "consent.decision", subject, target, "denied", reason);
    };
    write_locked(write);
}

Policies Vault::policy() {
    live(core_);
    return Policies(core_);
}

Consents Vault::consents() {
    live(core_);
    return Consents(core_);
}

Outbox Vault::outbox() {
    live(core_);
    return Outbox(core_);
}

Decision Vault::may_process(const std::string& subject, const std::string& purpose, const std::string& scope) {
    return live(core_)->may_process(subject, purpose, scope);
}

// ---- Policies -------------------------------------------------------------------

PublishResult Policies::publish(const std::string& json_text, const ProgressFn& progress) {
    return core_->run([&](accounts::Context& ctx) {
        const auto before = core_->consents().policy();
        PublishResult r = core_->consents().publish(ctx, json_text, progress);
        const auto after = core_->consents().policy();
        // The schedule follows the retention rules in force.
        auto records_of = [](const policy::Policy& p) {
            std::vector<std::pair<std::string, std::vector<std::string>>> out;
            for (const auto& c : p.info.categories) out.emplace_back(c.id, c.records);
            return out;
        };
        if (after && (!before || before->retention_json != after->retention_json ||
                      records_of(*before) != records_of(*after))) {
            core_->retention().reschedule_all(ctx.now);
        }
        return r;
    });
}

std::optional<PolicyVersion> Policies::active() {
    return core_->read([&](accounts::Context&) { return core_->consents().active(); });
}

PolicyVersion Policies::get(std::int64_t version) {
    return core_->read([&](accounts::Context&) { return core_->consents().get(version); });
}

std::vector<PolicyVersion> Policies::list() {
    return core_->read([&](accounts::Context&) { return core_->consents().list(); });
}

PolicyDiff Policies::diff(std::int64_t from, std::int64_t to) {
    return core_->read([&](accounts::Context&) { return core_->consents().diff(from, to); });
}

// ---- Consents -------------------------------------------------------------------

ConsentEvent Consents::record(const ConsentRequest& request) {
    return core_->run([&](accounts::Context& ctx) { return core_->consents().record(ctx, request); });
}

std::vector<ConsentEvent> Consents::record_many(const std::vector<ConsentRequest>& batch) {
    return core_->run([&](accounts::Context& ctx) {
        std::vector<ConsentEvent> out;
        out.reserve(batch.size());
        for (const auto& r : batch) out.push_back(core_->consents().record(ctx, r));
        return out;
    });
}

Decision Consents::may_process(const std::string& subject, const std::string& purpose, const std::string& scope) {
    return core_->may_process(subject, purpose, scope);
}

std::vector<ConsentEvent> Consents::history(const std::string& subject) {
    return core_->read([&](accounts::Context& ctx) { return core_->consents().history(ctx, subject); });
}

std::vector<ConsentState> Consents::state(const std::string& subject) {
    return core_->read([&](accounts::Context& ctx) { return core_->consents().state(ctx, subject); });
}

std::string Consents::receipts(const std::string& subject) {
    return core_->read([&](accounts::Context& ctx) { return core_->consents().receipts(ctx, subject); });
}

ConsentEvent Consents::subscribe(const std::string& subject, const std::string& subscription, Channel channel,
                                 const std::string& evidence) {
    return core_->run([&](accounts::Context& ctx) {
        return core_->consents().subscribe(ctx, subject, subscription, true, channel, evidence);
    });
}

ConsentEvent Consents::unsubscribe(const std::string& subject, const std::string& subscription, Channel channel,
                                   const std::string& evidence) {
    return core_->run([&](accounts::Context& ctx) {
        return core_->consents().subscribe(ctx, subject, subscription, false, channel, evidence);
    });
}

std::vector<std::string> Consents::subscriptions(const std::string& subject) {
    return core_->read([&](accounts::Context& ctx) { return core_->consents().subscriptions(ctx, subject); });
}

ConsentEvent Consents::record_visitor(const std::string& visitor_id, const std::string& category,
                                      ConsentAction action, Channel channel) {
    return core_->run([&](accounts::Context& ctx) {
        return core_->consents().record_visitor(ctx, visitor_id, category, action, channel);
    });
}

Decision Consents::visitor_may(const std::string& visitor_id, const std::string& category) {
    return core_->visitor_may(visitor_id, category);
}

std::vector<ReconsentRequest> Consents::pending_reconsent(std::size_t limit) {
    return core_->read([&](accounts::Context&) { return core_->consents().pending_reconsent(limit); });
}

std::vector<ErasureRequest> Consents::erasure_requests(const std::string& subject) {
    return core_->read([&](accounts::Context&) { return core_->consents().erasure_requests(subject); });
}

// ---- Outbox ---------------------------------------------------------------------

std::vector<Notification> Outbox::poll(std::size_t limit, std::int64_t lease_seconds) {
    return core_->run([&](accounts::Context& ctx) { return core_->outbox().poll(ctx, limit, lease_seconds); });
}

std::int64_t Outbox::ack(const std::vector<std::int64_t>& ids) {
    return core_->run([&](accounts::Context& ctx) { return core_->outbox().ack(ctx, ids); });
}

std::int64_t Outbox::pending() {
    return core_->read([&](accounts::Context&) { return core_->outbox().pending(); });
}

}  // namespace casevault
