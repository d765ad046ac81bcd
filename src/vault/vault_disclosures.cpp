// TEMPORARY stubs (issue 6 in progress): replaced by the real implementation.
#include "vault/vault_core.hpp"

namespace casevault {
DisclosureRefused::DisclosureRefused(std::string reason, const std::string& message)
    : Error(Errc::disclosure_refused, message), reason_(std::move(reason)) {}
const char* notice_state_name(NoticeState) noexcept { return "unknown"; }
const char* transfer_kind_name(TransferKind) noexcept { return "unknown"; }
Disclosures Vault::disclosures() { return Disclosures(core_); }
Disclosure Disclosures::record(const DisclosureRequest&) { fail(Errc::internal, "not implemented yet"); }
Disclosure Disclosures::lift_nondisclosure(const std::string&) { fail(Errc::internal, "not implemented yet"); }
Disclosure Disclosures::get(const std::string&) { fail(Errc::internal, "not implemented yet"); }
std::vector<Disclosure> Disclosures::list(const std::string&) { fail(Errc::internal, "not implemented yet"); }
void Disclosures::package(const std::string&, const ExportSink&) { fail(Errc::internal, "not implemented yet"); }
std::string Disclosures::package_json(const std::string&) { fail(Errc::internal, "not implemented yet"); }
Subprocessor Disclosures::add_subprocessor(const Subprocessor&) { fail(Errc::internal, "not implemented yet"); }
Subprocessor Disclosures::retire_subprocessor(const std::string&) { fail(Errc::internal, "not implemented yet"); }
std::vector<Subprocessor> Disclosures::subprocessors(bool) { fail(Errc::internal, "not implemented yet"); }
Transfer Disclosures::announce_transfer(const TransferAnnouncement&, const ProgressFn&) { fail(Errc::internal, "not implemented yet"); }
std::vector<Transfer> Disclosures::transfers() { fail(Errc::internal, "not implemented yet"); }
}  // namespace casevault
