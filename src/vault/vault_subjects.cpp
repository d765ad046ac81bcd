// TEMPORARY stubs (issue 6 in progress): replaced by the real implementation.
#include "vault/vault_core.hpp"

namespace casevault {
const char* rectify_target_name(RectifyTarget) noexcept { return "unknown"; }
RectifyTarget rectify_target_from_name(const std::string&) { fail(Errc::internal, "not implemented yet"); }
SubjectRequests Vault::subject_requests() { return SubjectRequests(core_); }
void SubjectRequests::export_to(const std::string&, const ExportSink&) { fail(Errc::internal, "not implemented yet"); }
std::string SubjectRequests::export_json(const std::string&) { fail(Errc::internal, "not implemented yet"); }
RectifyResult SubjectRequests::rectify(const std::string&, const Rectification&) { fail(Errc::internal, "not implemented yet"); }
std::vector<RectifyResult> SubjectRequests::rectify_many(const std::string&, const std::vector<Rectification>&) { fail(Errc::internal, "not implemented yet"); }
ErasureTicket SubjectRequests::erase(const std::string&, Channel) { fail(Errc::internal, "not implemented yet"); }
}  // namespace casevault
