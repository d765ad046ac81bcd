// Cases: validation, sealing, the receipt number's blind index, status
// history, documents metadata and assignments, each call checked by the
// Guard. Runs inside the transaction VaultCore opened.
#pragma once

#include "casevault/cases.hpp"
#include "records/record_support.hpp"

namespace casevault::cases {

class CaseService {
public:
    explicit CaseService(records::Deps deps) : d_(deps) {}

    Case open(const accounts::Context& ctx, const std::string& actor, const std::string& subject,
              const CaseFields& fields);
    Case get(const accounts::Context& ctx, const std::string& actor, const std::string& case_id);
    std::vector<Case> list(const accounts::Context& ctx, const std::string& actor, const std::string& subject);
    std::optional<Case> find_by_receipt(const accounts::Context& ctx, const std::string& actor,
                                        const std::string& receipt_number);
    Case update(const accounts::Context& ctx, const std::string& actor, const std::string& case_id,
                const CaseUpdate& update);
    CaseStatus add_status(const accounts::Context& ctx, const std::string& actor, const std::string& case_id,
                          const CaseStatus& status);
    std::vector<CaseStatus> history(const accounts::Context& ctx, const std::string& actor,
                                    const std::string& case_id);
    CaseDocument add_document(const accounts::Context& ctx, const std::string& actor, const std::string& case_id,
                              const DocumentFields& doc);
    std::vector<CaseDocument> documents(const accounts::Context& ctx, const std::string& actor,
                                        const std::string& case_id);
    void remove_document(const accounts::Context& ctx, const std::string& actor, const std::string& document_id);

    void assign(const accounts::Context& ctx, const std::string& case_id, const std::string& principal);
    void unassign(const accounts::Context& ctx, const std::string& case_id, const std::string& principal);
    std::vector<std::string> assignees(const std::string& case_id);

    // Rectification (SubjectRequests): sets "receipt_number" or
    // "questionnaire" ("" clears it) with update()'s normalisation, sealing
    // and blind index. No Guard and no audit entry: the caller acts for the
    // subject, has checked the case is theirs, and audits the request.
    void rectify(const accounts::Context& ctx, const std::string& case_id, const std::string& field,
                 const std::string& value);

    // Rekey: the receipt number's digest under a new blind-index root.
    static std::optional<store::Bytes> reindex(const store::CaseRow& row, accounts::SubjectKeys& keys,
                                               store::Store& store, crypto::BlindIndexer& index);

private:
    // Loads the case and checks the actor may do action to it.
    store::CaseRow checked(const accounts::Context& ctx, const access::Actor& actor, Action action,
                           const std::string& case_id);
    Case decode(const store::CaseRow& row, records::SubjectKeyCache& keys);
    CaseStatus decode_status(const store::CaseStatusRow& row, const records::SubjectKeyCache::Entry& key);
    void seal_receipt(store::CaseRow& row, const std::optional<std::string>& raw,
                      const records::SubjectKeyCache::Entry& key);
    void seal_questionnaire(store::CaseRow& row, const std::optional<std::string>& json,
                            const records::SubjectKeyCache::Entry& key);

    records::Deps d_;
};

}  // namespace casevault::cases
