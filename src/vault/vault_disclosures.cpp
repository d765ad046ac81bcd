// The public Disclosures view: each call one transaction through VaultCore.
// A refusal rolls its transaction back, so it is audited in a second small
// write of its own.
#include "vault/vault_core.hpp"

namespace casevault {

DisclosureRefused::DisclosureRefused(std::string reason, const std::string& message)
    : Error(Errc::disclosure_refused, message), reason_(std::move(reason)) {}

const char* notice_state_name(NoticeState s) noexcept {
    switch (s) {
        case NoticeState::queued: return "queued";
        case NoticeState::withheld_prohibited: return "withheld_prohibited";
        case NoticeState::withheld_emergency: return "withheld_emergency";
        case NoticeState::not_required: return "not_required";
    }
    return "unknown";
}

const char* transfer_kind_name(TransferKind k) noexcept {
    switch (k) {
        case TransferKind::acquisition: return "acquisition";
        case TransferKind::merger: return "merger";
    }
    return "unknown";
}

Disclosures Vault::disclosures() { return Disclosures(core_); }

Disclosure Disclosures::record(const DisclosureRequest& request) {
    VaultCore* c = live(core_);
    try {
        return c->run([&](accounts::Context& ctx) { return c->disclosures().record(ctx, request); });
    } catch (const DisclosureRefused& refused) {
        try {
            c->run([&](accounts::Context& ctx) { c->disclosures().audit_refusal(ctx, request, refused); });
        } catch (const Error&) {
            // The store is busy or failing: the caller still learns of the
            // refusal, which changed nothing.
        }
        throw;
    }
}

Disclosure Disclosures::lift_nondisclosure(const std::string& disclosure_id) {
    VaultCore* c = live(core_);
    return c->run([&](accounts::Context& ctx) { return c->disclosures().lift_nondisclosure(ctx, disclosure_id); });
}

Disclosure Disclosures::get(const std::string& disclosure_id) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context& ctx) { return c->disclosures().get(ctx, disclosure_id); });
}

std::vector<Disclosure> Disclosures::list(const std::string& subject) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context& ctx) { return c->disclosures().list(ctx, subject); });
}

void Disclosures::package(const std::string& disclosure_id, const ExportSink& sink) {
    VaultCore* c = live(core_);
    if (!sink) fail(Errc::invalid_argument, "no sink to write the package to");
    c->read([&](accounts::Context& ctx) {
        auto& service = c->disclosures();
        const Disclosure d = service.fetch(disclosure_id);
        // The export document restricted to the record kinds of the
        // disclosure's categories, in each to the fields that hold them, and
        // to the disclosure's case when it names one.
        subjects::ExportRequest request;
        request.subject = d.subject;
        subjects::ExportScope scope;
        for (auto& [kind, fields] : service.package_fields(d)) {
            scope.records.insert(kind);
            scope.fields[kind] = std::move(fields);
        }
        scope.case_id = d.case_id;
        request.scope = std::move(scope);
        // What the package answers, without the sealed references.
        request.header["disclosure"] = {{"id", d.id},
                                        {"recipient", d.recipient},
                                        {"rule", d.rule},
                                        {"kind", d.kind},
                                        {"purpose", d.purpose},
                                        {"categories", d.categories},
                                        {"fields", d.fields},
                                        {"case_id", d.case_id.empty() ? nlohmann::json() : nlohmann::json(d.case_id)},
                                        {"at", d.at}};
        const subjects::ExportCounts counts = c->subjects().writer().write(ctx, request, sink);
        c->audit_log().append_read(ctx.now, ctx.actor, "disclosure.package", d.subject, d.id,
                                   std::to_string(counts.bytes));
        return counts.bytes;  // read() wants a value
    });
}

std::string Disclosures::package_json(const std::string& disclosure_id) {
    std::string out;
    package(disclosure_id, [&](const char* data, std::size_t size) {
        out.append(data, size);
        return true;
    });
    return out;
}

Subprocessor Disclosures::add_subprocessor(const Subprocessor& s) {
    VaultCore* c = live(core_);
    return c->run([&](accounts::Context& ctx) { return c->disclosures().add_subprocessor(ctx, s); });
}

Subprocessor Disclosures::retire_subprocessor(const std::string& name) {
    VaultCore* c = live(core_);
    return c->run([&](accounts::Context& ctx) { return c->disclosures().retire_subprocessor(ctx, name); });
}

std::vector<Subprocessor> Disclosures::subprocessors(bool include_retired) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context&) { return c->disclosures().subprocessors(include_retired); });
}

Transfer Disclosures::announce_transfer(const TransferAnnouncement& t, const ProgressFn& progress) {
    VaultCore* c = live(core_);
    return c->run([&](accounts::Context& ctx) { return c->disclosures().announce_transfer(ctx, t, progress); });
}

std::vector<Transfer> Disclosures::transfers() {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context&) { return c->disclosures().transfers(); });
}

}  // namespace casevault
