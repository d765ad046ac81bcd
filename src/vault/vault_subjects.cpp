// The data-subject requests' facade: each call one transaction (the export
// one read snapshot), as in vault_retention.cpp.
#include "vault/vault_core.hpp"

namespace casevault {

namespace {
constexpr RectifyTarget kTargets[] = {RectifyTarget::account,     RectifyTarget::case_file, RectifyTarget::case_status,
                                      RectifyTarget::document,    RectifyTarget::message,   RectifyTarget::payment};
}  // namespace

const char* rectify_target_name(RectifyTarget t) noexcept {
    switch (t) {
        case RectifyTarget::account: return "account";
        case RectifyTarget::case_file: return "case";
        case RectifyTarget::case_status: return "case_status";
        case RectifyTarget::document: return "document";
        case RectifyTarget::message: return "message";
        case RectifyTarget::payment: return "payment";
    }
    return "unknown";
}

RectifyTarget rectify_target_from_name(const std::string& name) {
    for (RectifyTarget t : kTargets) {
        if (name == rectify_target_name(t)) return t;
    }
    fail(Errc::invalid_argument,
         "unknown rectification target (expected account, case, case_status, document, message or payment)");
}

SubjectRequests Vault::subject_requests() { return SubjectRequests(core_); }

void SubjectRequests::export_to(const std::string& subject, const ExportSink& sink) {
    VaultCore* c = live(core_);
    if (!sink) fail(Errc::invalid_argument, "the export needs a sink");
    // Queued read entries first, so the document's audit section is complete.
    c->peek([] { return 0; });
    c->read([&](accounts::Context& ctx) { return c->subjects().export_to(ctx, subject, sink); });
}

std::string SubjectRequests::export_json(const std::string& subject) {
    std::string out;
    export_to(subject, [&out](const char* data, std::size_t size) {
        out.append(data, size);
        return true;
    });
    return out;
}

RectifyResult SubjectRequests::rectify(const std::string& subject, const Rectification& change) {
    VaultCore* c = live(core_);
    return c->run([&](accounts::Context& ctx) { return c->subjects().rectify(ctx, subject, change); });
}

std::vector<RectifyResult> SubjectRequests::rectify_many(const std::string& subject,
                                                         const std::vector<Rectification>& changes) {
    VaultCore* c = live(core_);
    return c->run([&](accounts::Context& ctx) { return c->subjects().rectify_many(ctx, subject, changes); });
}

ErasureTicket SubjectRequests::erase(const std::string& subject, Channel channel) {
    VaultCore* c = live(core_);
    return c->run([&](accounts::Context& ctx) { return c->subjects().erase(ctx, subject, channel); });
}

}  // namespace casevault
