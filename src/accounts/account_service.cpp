#include "accounts/account_service.hpp"

#include "accounts/normalize.hpp"
#include "common/card_numbers.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"
#include "crypto/aead.hpp"

namespace casevault::accounts {

namespace {

constexpr const char* kTable = "accounts";
constexpr int kKeyVersion = 1;

std::optional<store::Bytes> seal_opt(const crypto::SecretBytes& key, const std::optional<std::string>& v,
                                     const char* column, const std::string& id, int version) {
    if (!v || v->empty()) return std::nullopt;
    return crypto::seal(key, *v, crypto::field_ad(kTable, column, id, version));
}

std::optional<std::string> open_opt(const crypto::SecretBytes& key, const std::optional<store::Bytes>& v,
                                    const char* column, const std::string& id, int version) {
    if (!v) return std::nullopt;
    auto out = crypto::open(key, *v, crypto::field_ad(kTable, column, id, version));
    if (!out) {
        fail(Errc::corrupt, std::string("a sealed field (accounts.") + column +
                                ") failed authentication: it was altered or moved from another record");
    }
    return out;
}

// Empty optional strings mean "absent".
std::optional<std::string> opt_nonempty(const std::optional<std::string>& v) {
    if (!v || v->empty()) return std::nullopt;
    return v;
}

void check_id(const std::string& id) {
    if (!is_valid_id(id, "acc")) fail(Errc::invalid_argument, "not an account id");
}

}  // namespace

std::string SubjectKeys::wrap_ad(const std::string& subject_id, int key_version) {
    return "cv1-dk\x1f" + subject_id + "\x1f" + std::to_string(key_version);
}

crypto::SecretBytes SubjectKeys::create(const std::string& subject_id, int key_version, store::Bytes& wrapped) {
    crypto::SecretBytes key = crypto::random_key();
    wrapped = crypto::wrap_key(kek_, key, wrap_ad(subject_id, key_version));
    return key;
}

crypto::SecretBytes SubjectKeys::open(const std::string& subject_id, int key_version,
                                      const std::optional<store::Bytes>& wrapped) const {
    if (!wrapped) fail(Errc::corrupt, "a subject's data key is missing");
    auto key = crypto::unwrap_key(kek_, *wrapped, wrap_ad(subject_id, key_version));
    if (!key) fail(Errc::corrupt, "a subject's data key failed authentication");
    return std::move(*key);
}

crypto::SecretBytes SubjectKeys::get(const std::string& subject_id, int key_version) {
    const auto row = store_.subject_key(subject_id);
    if (row && row->key_version != key_version) fail(Errc::corrupt, "a subject's data key has another version");
    return open(subject_id, key_version, row ? std::optional<store::Bytes>(row->wrapped) : std::nullopt);
}

AccountFields AccountService::validated(const AccountFields& f) {
    AccountFields v;
    v.name = clean_text(f.name, "name", 200, true);
    refuse_card_number(v.name, "name");
    if (auto e = opt_nonempty(f.email)) {
        v.email = trim(*e);
        normalize_email(*v.email);
    }
    if (auto p = opt_nonempty(f.phone)) {
        v.phone = trim(*p);
        normalize_phone(*v.phone);
    }
    if (auto a = opt_nonempty(f.address)) {
        v.address = clean_text(*a, "address", 1000, false);
        refuse_card_number(*v.address, "address");
    }
    if (auto c = opt_nonempty(f.company)) {
        v.company = clean_text(*c, "company", 200, false);
        refuse_card_number(*v.company, "company");
    }
    if (!v.email && !v.phone) fail(Errc::invalid_argument, "an account needs an email or a phone number");
    return v;
}

void AccountService::seal_fields(store::AccountRow& row, const AccountFields& f, const crypto::SecretBytes& key) {
    row.name = crypto::seal(key, f.name, crypto::field_ad(kTable, "name", row.id, row.key_version));
    row.email = seal_opt(key, f.email, "email", row.id, row.key_version);
    row.phone = seal_opt(key, f.phone, "phone", row.id, row.key_version);
    row.address = seal_opt(key, f.address, "address", row.id, row.key_version);
    row.company = seal_opt(key, f.company, "company", row.id, row.key_version);
    row.email_bidx = f.email ? std::optional(index_.digest("accounts.email", normalize_email(*f.email))) : std::nullopt;
    row.phone_bidx = f.phone ? std::optional(index_.digest("accounts.phone", normalize_phone(*f.phone))) : std::nullopt;
}

Account AccountService::decode(const store::AccountRow& row) {
    Account a;
    a.id = row.id;
    a.status = static_cast<AccountStatus>(row.status);
    a.created_at = row.created_at;
    a.updated_at = row.updated_at;
    if (a.status == AccountStatus::erased) return a;
    const crypto::SecretBytes key = keys_.open(row.id, row.key_version, row.data_key);
    a.fields.name = open_opt(key, row.name, "name", row.id, row.key_version).value_or("");
    a.fields.email = open_opt(key, row.email, "email", row.id, row.key_version);
    a.fields.phone = open_opt(key, row.phone, "phone", row.id, row.key_version);
    a.fields.address = open_opt(key, row.address, "address", row.id, row.key_version);
    a.fields.company = open_opt(key, row.company, "company", row.id, row.key_version);
    return a;
}

store::AccountRow AccountService::load(const std::string& id) {
    check_id(id);
    auto row = store_.account(id);
    if (!row) fail(Errc::not_found, "no account with this id");
    return std::move(*row);
}

Account AccountService::create(const Context& ctx, const AccountFields& fields) {
    const AccountFields f = validated(fields);
    store::AccountRow row;
    row.id = new_id("acc");
    row.status = static_cast<int>(AccountStatus::active);
    row.created_at = row.updated_at = ctx.now;
    row.key_version = kKeyVersion;
    store::Bytes wrapped;
    const crypto::SecretBytes key = keys_.create(row.id, row.key_version, wrapped);
    row.data_key = std::move(wrapped);
    seal_fields(row, f, key);
    store_.insert_account(row);
    log_.append(ctx.now, ctx.actor, "account.create", row.id, row.id, "ok", "");
    Account a;
    a.id = row.id;
    a.status = AccountStatus::active;
    a.created_at = a.updated_at = ctx.now;
    a.fields = f;
    return a;
}

Account AccountService::get(const Context& ctx, const std::string& id) {
    const store::AccountRow row = load(id);
    Account a = decode(row);
    log_.append_read(ctx.now, ctx.actor, "account.read", id, id, "");
    return a;
}

std::optional<Account> AccountService::find(const Context& ctx, const std::string& column, const std::string& value) {
    const std::string normalized = column == "email" ? normalize_email(value) : normalize_phone(value);
    const auto row = store_.account_by_index(column, index_.digest("accounts." + column, normalized));
    if (!row) {
        log_.append_read(ctx.now, ctx.actor, "account.find", "", "", "no_match");
        return std::nullopt;
    }
    Account a = decode(*row);
    log_.append_read(ctx.now, ctx.actor, "account.read", row->id, row->id, "find_by_" + column);
    return a;
}

Account AccountService::update(const Context& ctx, const std::string& id, const AccountUpdate& u) {
    store::AccountRow row = load(id);
    if (row.status == static_cast<int>(AccountStatus::erased)) {
        fail(Errc::invalid_argument, "an erased account cannot be updated");
    }
    Account current = decode(row);
    AccountFields f = current.fields;
    if (u.name) f.name = *u.name;
    if (u.email) f.email = u.email->empty() ? std::nullopt : u.email;
    if (u.phone) f.phone = u.phone->empty() ? std::nullopt : u.phone;
    if (u.address) f.address = u.address->empty() ? std::nullopt : u.address;
    if (u.company) f.company = u.company->empty() ? std::nullopt : u.company;
    f = validated(f);
    // Re-sealed with fresh nonces. secure_delete zeroes the old cells in the
    // database file; older page images in the WAL stay page-encrypted until
    // the next checkpoint overwrites them.
    const crypto::SecretBytes key = keys_.open(row.id, row.key_version, row.data_key);
    seal_fields(row, f, key);
    row.updated_at = ctx.now;
    store_.update_account(row);
    log_.append(ctx.now, ctx.actor, "account.update", id, id, "ok", "");
    current.fields = f;
    current.updated_at = ctx.now;
    return current;
}

Account AccountService::set_status(const Context& ctx, const std::string& id, AccountStatus status) {
    if (status == AccountStatus::erased) fail(Errc::invalid_argument, "use erase() to erase an account");
    if (static_cast<int>(status) < 0 || static_cast<int>(status) > 2) fail(Errc::invalid_argument, "unknown status");
    store::AccountRow row = load(id);
    if (row.status == static_cast<int>(AccountStatus::erased)) {
        fail(Errc::invalid_argument, "an erased account cannot change status");
    }
    const std::string from = account_status_name(static_cast<AccountStatus>(row.status));
    row.status = static_cast<int>(status);
    row.updated_at = ctx.now;
    store_.update_account(row);
    log_.append(ctx.now, ctx.actor, "account.status", id, id, "ok", from + "->" + account_status_name(status));
    changed(id);
    Account a;
    a.id = row.id;
    a.status = status;
    a.created_at = row.created_at;
    a.updated_at = row.updated_at;
    return a;
}

AccountPage AccountService::list(const Context& ctx, const AccountListOptions& o) {
    if (o.limit == 0 || o.limit > 10000) fail(Errc::invalid_argument, "list limit must be in 1..10000");
    if (!o.after_id.empty()) check_id(o.after_id);
    std::optional<int> status;
    if (o.status) status = static_cast<int>(*o.status);
    // One row more than asked tells whether another page follows.
    auto rows = store_.accounts_after(o.after_id, o.limit + 1, status);
    AccountPage page;
    const bool more = rows.size() > o.limit;
    if (more) rows.pop_back();
    for (const auto& r : rows) {
        page.items.push_back(decode(r));
        if (r.status != static_cast<int>(AccountStatus::erased)) {
            log_.append_read(ctx.now, ctx.actor, "account.read", r.id, r.id, "list");
        }
    }
    if (more) page.next_cursor = rows.back().id;
    return page;
}

void AccountService::erase(const Context& ctx, const std::string& id, store::PostsOnErasure posts) {
    store::AccountRow row = load(id);
    if (row.status == static_cast<int>(AccountStatus::erased)) {
        log_.append(ctx.now, ctx.actor, "account.erase", id, id, "ok", "already_erased");
        return;
    }
    // Tombstone: the id and dates stay so audit entries still resolve; every
    // sealed value goes, and with the data key any stray copy of them (in the
    // freelist or the WAL) becomes unreadable.
    // Messages this person sent that are filed under someone else keep no
    // trace of their address (their own messages go with purge_subject).
    for (const auto& digest : {row.email_bidx, row.phone_bidx}) {
        if (digest) store_.forget_sender(*digest);
    }
    row.status = static_cast<int>(AccountStatus::erased);
    row.updated_at = ctx.now;
    row.name = row.email = row.phone = row.address = row.company = std::nullopt;
    row.email_bidx = row.phone_bidx = std::nullopt;
    row.data_key = std::nullopt;  // crypto-shredding, in the same statement
    store_.update_account(row);
    // Consent history, re-consent requests, queued notifications, cases,
    // correspondence, payments and activity go with the person; posts go or
    // are unlinked, as the policy says; the audit entries (ids only) stay.
    store_.purge_subject(id, posts);
    changed(id);
    log_.append(ctx.now, ctx.actor, "account.erase", id, id, "ok", "crypto_shredded");
}

void reindex(const store::AccountRow& row, const SubjectKeys& keys, crypto::BlindIndexer& new_index,
             std::optional<store::Bytes>& email_bidx, std::optional<store::Bytes>& phone_bidx) {
    email_bidx.reset();
    phone_bidx.reset();
    if (row.status == static_cast<int>(AccountStatus::erased)) return;
    const crypto::SecretBytes key = keys.open(row.id, row.key_version, row.data_key);
    if (auto e = open_opt(key, row.email, "email", row.id, row.key_version)) {
        email_bidx = new_index.digest("accounts.email", normalize_email(*e));
    }
    if (auto p = open_opt(key, row.phone, "phone", row.id, row.key_version)) {
        phone_bidx = new_index.digest("accounts.phone", normalize_phone(*p));
    }
}

}  // namespace casevault::accounts
