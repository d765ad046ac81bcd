#include <chrono>
#include <cstdio>

#include "crypto/primitives.hpp"
#include "vault/vault_core.hpp"

namespace casevault {

namespace {

std::int64_t system_now() {
    using namespace std::chrono;
    return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

void check_actor(const std::string& actor) {
    if (actor.empty() || actor.size() > 128) fail(Errc::invalid_argument, "actor must be 1..128 characters");
    for (unsigned char c : actor) {
        if (c < 0x21 || c > 0x7e) fail(Errc::invalid_argument, "actor must be printable ASCII without spaces");
    }
}

}  // namespace

// ---- VaultCore ------------------------------------------------------------

VaultCore::VaultCore(std::string path, const OpenOptions& o)
    : path_(std::move(path)), actor_(o.actor), clock_(o.clock ? o.clock : Clock(system_now)),
      busy_timeout_ms_(o.busy_timeout_ms), batch_read_audit_(o.batch_read_audit), durable_(o.durable),
      open_progress_(o.progress) {}

VaultCore::~VaultCore() { close(); }

void VaultCore::attach(const vault::KeyHeader& header, crypto::PurposeKeys keys) {
    store::MigrationProgress on_migration;
    if (open_progress_) {
        on_migration = [this](int done, int total) { return open_progress_(Progress{"migrate", done, total}); };
    }
    auto st = store::SqlcipherStore::open(path_, keys.page, header.bytes, busy_timeout_ms_, durable_, on_migration);
    header_ = header;
    index_ = std::make_unique<crypto::BlindIndexer>(keys.blind_index_root);
    log_ = std::make_unique<audit::AuditLog>(*st, keys.audit.clone());
    log_->set_batch_reads(batch_read_audit_);
    subject_keys_ = std::make_unique<accounts::SubjectKeys>(*st, keys_.kek);
    keys_ = std::move(keys);
    store_ = std::move(st);
    accounts_ = std::make_unique<accounts::AccountService>(*store_, *subject_keys_, *index_, *log_);
    consents_ = std::make_unique<consent::ConsentService>(*store_, *subject_keys_, keys_.kek, *log_);
    outbox_ = std::make_unique<outbox::OutboxService>(*store_, *log_);
    guard_ = std::make_unique<access::Guard>(*store_, *consents_);
    accounts_->on_change([c = consents_.get(), g = guard_.get()](const std::string& id) {
        c->invalidate(id);
        g->forget_all();  // the account acts as a principal, and erasure unlinks posts
    });
    records::Deps deps{*store_, *subject_keys_, *index_, *log_, *guard_, {}, {}};
    deps.on_activity = [this](const std::string& subject, const std::string& kind, std::int64_t at) {
        retention_->touch(subject, kind, at);
    };
    deps.retention_key = [this] { return retention_->retention_key(); };
    cases_ = std::make_unique<cases::CaseService>(deps);
    correspondence_ = std::make_unique<correspondence::CorrespondenceService>(deps);
    billing_ = std::make_unique<billing::BillingService>(deps);
    posts_ = std::make_unique<posts::PostService>(deps);
    aggregates_ = std::make_unique<aggregates::AggregateService>(*store_, *log_, *consents_);
    retention_ = std::make_unique<retention::RetentionService>(*store_, *subject_keys_, keys_.kek, *index_, *log_,
                                                               *consents_, *accounts_, *billing_);
    disclosures_ = std::make_unique<disclosures::DisclosureService>(*store_, *log_, *consents_, *retention_);
    // The export reads disclosures and holds through these, so src/subjects
    // depends on neither module's internals.
    subjects::ExportSources sources;
    sources.disclosures = [this](const std::string& subject, std::int64_t now) {
        return disclosures_->visible_to_subject(subject, now);
    };
    sources.withheld_disclosures = [this](const std::string& subject, std::int64_t now) {
        return disclosures_->withheld_from_subject(subject, now);
    };
    sources.holds = [this](const std::string& subject) { return retention_->list_holds(subject, true); };
    subjects_ = std::make_unique<subjects::SubjectService>(deps, *accounts_, *consents_, *cases_, *retention_,
                                                           std::move(sources));
    fork_generation_ = fork_generation();
}

void VaultCore::detach() noexcept {
    subjects_.reset();
    disclosures_.reset();
    retention_.reset();
    aggregates_.reset();
    posts_.reset();
    billing_.reset();
    correspondence_.reset();
    cases_.reset();
    guard_.reset();
    outbox_.reset();
    consents_.reset();
    accounts_.reset();
    subject_keys_.reset();
    log_.reset();
    index_.reset();
    store_.reset();
    keys_ = crypto::PurposeKeys{};  // wiped by SecretBytes
}

void VaultCore::close() noexcept {
    std::lock_guard<std::mutex> lock(mu_);
    if (store_ && forked()) {
        // A child of fork() must neither write the parent's queued entries
        // nor close the parent's connection: leave both alone.
        store_->abandon();
        log_->drop_pending_after(0);
    }
    if (store_ && log_->pending() > 0) {
        try {
            flush_locked();
        } catch (...) {
            // Best effort: a store that cannot be written at close loses at most
            // kMaxPendingReads read entries; documented in docs/security.md.
        }
    }
    detach();
}

VaultInfo VaultCore::info() {
    std::lock_guard<std::mutex> lock(mu_);
    require_open();
    if (log_->pending() > 0) flush_locked();
    VaultInfo i;
    i.path = path_;
    i.library_version = version();
    i.sqlcipher_version = store::require_codec();
    i.sqlite_version = store::sqlite_version();
    i.sodium_version = crypto::sodium_version();
    i.schema_version = store_->schema_version();
    i.key_mode = header_.mode == vault::KeyMode::raw ? "raw" : "passphrase";
    i.kdf = header_.kdf;
    i.accounts = store_->count_accounts(std::nullopt);
    i.accounts_active = store_->count_accounts(static_cast<int>(AccountStatus::active));
    i.accounts_erased = store_->count_accounts(static_cast<int>(AccountStatus::erased));
    i.audit_entries = store_->count_audit();
    const store::Store::RecordCounts r = store_->count_records();
    i.principals = r.principals;
    i.cases = r.cases;
    i.messages = r.messages;
    i.payments = r.payments;
    i.posts = r.posts;
    return i;
}

// ---- Vault ----------------------------------------------------------------

Vault::Vault(std::shared_ptr<VaultCore> core) : core_(std::move(core)) {}
Vault::Vault(Vault&&) noexcept = default;
Vault& Vault::operator=(Vault&& other) noexcept {
    if (this != &other) {
        if (core_) core_->close();
        core_ = std::move(other.core_);
    }
    return *this;
}
// Accounts and Audit views share the core; they fail with Errc::closed
// once the Vault is gone.
Vault::~Vault() {
    if (core_) core_->close();
}

namespace {

// Creates the store in the (empty) file at path. Returns false when another
// opener created a store there first: the caller then opens that one.
bool create_store(VaultCore& core, const std::string& path, const std::optional<store::FileIdentity>& ours,
                  vault::KeyMode mode, const KdfParams& kdf, const crypto::SecretBytes& secret) {
    vault::KeyHeader h = vault::new_header(mode, kdf);
    crypto::SecretBytes master = vault::derive_master(h, secret);
    vault::set_key_check(h, master);
    try {
        core.attach(h, crypto::derive_purpose_keys(master));
        // Belt and braces: the file on disk must start with our salt, never
        // with SQLite's plaintext magic.
        unsigned char written[store::kFileSaltBytes];
        if (store::probe_file(path, written) != store::FileState::present ||
            !crypto::equal_ct(written, h.bytes, sizeof written)) {
            fail(Errc::no_codec, "the new store file was not encrypted; removed it");
        }
        core.run([&](accounts::Context& ctx) {
            core.store().set_meta("format", "casevault-1");
            core.store().set_meta("created_at", std::to_string(ctx.now));
            core.store().set_meta("created_by", std::string("casevault ") + version());
            core.store().set_meta("retention_scheduled", "1");  // nothing to schedule yet
            core.audit_log().append(ctx.now, ctx.actor, "store.create", "", "", "ok",
                                    mode == vault::KeyMode::raw ? "raw_key" : "passphrase");
        });
        return true;
    } catch (...) {
        core.detach();
        unsigned char now[store::kFileSaltBytes];
        const store::FileState state = store::probe_file(path, now);
        const bool mine_on_disk =
            state == store::FileState::empty ||
            (state == store::FileState::present && crypto::equal_ct(now, h.bytes, sizeof now)) ||
            state == store::FileState::plaintext_sqlite;
        // Remove only what this call created and nobody else has written to.
        if (ours && store::file_identity(path) == ours && mine_on_disk) {
            store::remove_store_files(path);
            throw;
        }
        if (state == store::FileState::present && !crypto::equal_ct(now, h.bytes, sizeof now)) {
            return false;  // another opener's store won the race
        }
        throw;
    }
}

void open_store(VaultCore& core, const unsigned char first[store::kFileSaltBytes], vault::KeyMode mode,
                const crypto::SecretBytes& secret) {
    const vault::KeyHeader h = vault::parse_header(first);
    if (h.mode != mode) {
        fail(Errc::wrong_key, h.mode == vault::KeyMode::raw ? "this store is opened with a raw key, not a passphrase"
                                                            : "this store is opened with a passphrase, not a raw key");
    }
    crypto::SecretBytes master = vault::derive_master(h, secret);
    if (!vault::key_check_matches(h, master)) fail(Errc::wrong_key, "wrong passphrase or key for this store");
    core.attach(h, crypto::derive_purpose_keys(master));
    core.finish_pending_restore({});
    if (!core.peek([&] { return core.store().meta("retention_scheduled").has_value(); })) {
        core.run([&](accounts::Context&) { core.retention().ensure_schedule(); });
    }
}

}  // namespace

Vault Vault::open(const std::string& path_in, const OpenOptions& o) {
    if (path_in.empty()) fail(Errc::invalid_argument, "path is empty");
    if (path_in.find('\0') != std::string::npos) fail(Errc::invalid_argument, "path contains a NUL byte");
    if (o.passphrase.has_value() == o.key.has_value()) {
        fail(Errc::invalid_argument, "give exactly one of a passphrase and a raw key");
    }
    if (o.key && o.key->size() != crypto::kKeyBytes) fail(Errc::invalid_argument, "a raw key must be 32 bytes");
    if (o.passphrase && o.passphrase->empty()) fail(Errc::invalid_argument, "the passphrase is empty");
    if (o.busy_timeout_ms < 0) fail(Errc::invalid_argument, "busy_timeout_ms must not be negative");
    check_actor(o.actor);

    crypto::init();
    store::require_codec();  // before anything touches the file system

    const vault::KeyMode mode = o.key ? vault::KeyMode::raw : vault::KeyMode::passphrase;
    const crypto::SecretBytes secret =
        o.key ? crypto::SecretBytes(o.key->data(), o.key->size()) : crypto::secret_from_string(*o.passphrase);
    // Resolved once: a later chdir() or symlink swap must not redirect rekey.
    const std::string path = store::resolve_path(path_in);
    auto core = std::make_shared<VaultCore>(path, o);
    // The open-time progress callback belongs to this call only.
    auto opened = [](const std::shared_ptr<VaultCore>& c) {
        c->open_progress_ = nullptr;
        return Vault(c);
    };

    // Two openers may race to create the same store; the loser opens the
    // winner's store (and needs the same secret to succeed).
    for (int attempt = 0; attempt < 3; ++attempt) {
        unsigned char first[store::kFileSaltBytes];
        switch (store::probe_file(path, first)) {
            case store::FileState::plaintext_sqlite:
                fail(Errc::corrupt, "the file is a plaintext SQLite database, not a casevault store; refused");
            case store::FileState::too_short:
                fail(Errc::corrupt, "the file is too short to be a casevault store");
            case store::FileState::missing: {
                if (!o.create_if_missing) fail(Errc::not_found, "no store at this path");
                const auto ours = store::create_exclusive(path, 0600);
                if (!ours) continue;  // created by someone else just now: look again
                if (create_store(*core, path, ours, mode, o.kdf, secret)) return opened(core);
                continue;
            }
            case store::FileState::empty:
                // Left empty, or being created by another opener right now.
                if (!o.create_if_missing) fail(Errc::not_found, "no store at this path (the file is empty)");
                if (create_store(*core, path, std::nullopt, mode, o.kdf, secret)) return opened(core);
                continue;
            case store::FileState::present:
                open_store(*core, first, mode, secret);
                return opened(core);
        }
    }
    fail(Errc::locked, "the store is being created by another opener; try again");
}

void Vault::close() {
    if (core_) core_->close();
}

bool Vault::is_open() const noexcept { return core_ && core_->is_open(); }
VaultCore* Vault::core() noexcept { return core_.get(); }

Accounts Vault::accounts() {
    live(core_);
    return Accounts(core_);
}
Audit Vault::audit() {
    live(core_);
    return Audit(core_);
}
VaultInfo Vault::info() { return live(core_)->info(); }

std::int64_t Vault::check_integrity() {
    VaultCore* c = live(core_);
    return c->peek([c] { return c->store().check_integrity(); });
}

void Vault::change_passphrase(const std::string& new_passphrase, std::optional<KdfParams> kdf,
                              const ProgressFn& progress) {
    if (new_passphrase.empty()) fail(Errc::invalid_argument, "the new passphrase is empty");
    live(core_)->rekey(vault::KeyMode::passphrase, crypto::secret_from_string(new_passphrase), kdf, progress);
}

void Vault::change_key(const std::vector<std::uint8_t>& new_key, const ProgressFn& progress) {
    if (new_key.size() != crypto::kKeyBytes) fail(Errc::invalid_argument, "a raw key must be 32 bytes");
    live(core_)->rekey(vault::KeyMode::raw, crypto::SecretBytes(new_key.data(), new_key.size()), std::nullopt,
                       progress);
}

// ---- facades ----------------------------------------------------------------

Account Accounts::create(const AccountFields& f) {
    return core_->run([&](accounts::Context& ctx) {
        Account a = core_->accounts().create(ctx, f);
        core_->retention().account_created(a.id, ctx.now);
        return a;
    });
}

std::vector<Account> Accounts::create_many(const std::vector<AccountFields>& batch) {
    return core_->run([&](accounts::Context& ctx) {
        std::vector<Account> out;
        out.reserve(batch.size());
        for (const auto& f : batch) {
            out.push_back(core_->accounts().create(ctx, f));
            core_->retention().account_created(out.back().id, ctx.now);
        }
        return out;
    });
}

Account Accounts::get(const std::string& id) {
    return core_->read([&](accounts::Context& ctx) { return core_->accounts().get(ctx, id); });
}

std::optional<Account> Accounts::find_by_email(const std::string& email) {
    return core_->read([&](accounts::Context& ctx) { return core_->accounts().find(ctx, "email", email); });
}

std::optional<Account> Accounts::find_by_phone(const std::string& phone) {
    return core_->read([&](accounts::Context& ctx) { return core_->accounts().find(ctx, "phone", phone); });
}

Account Accounts::update(const std::string& id, const AccountUpdate& u) {
    return core_->run([&](accounts::Context& ctx) { return core_->accounts().update(ctx, id, u); });
}

Account Accounts::set_status(const std::string& id, AccountStatus s) {
    return core_->run([&](accounts::Context& ctx) {
        Account a = core_->accounts().set_status(ctx, id, s);
        core_->retention().status_changed(ctx, id, s);
        return a;
    });
}

AccountPage Accounts::list(const AccountListOptions& o) {
    return core_->read([&](accounts::Context& ctx) { return core_->accounts().list(ctx, o); });
}

std::int64_t Accounts::count(std::optional<AccountStatus> status) {
    return core_->peek([&] {
        return core_->store().count_accounts(status ? std::optional<int>(static_cast<int>(*status)) : std::nullopt);
    });
}

void Accounts::erase(const std::string& id) {
    VaultCore* c = live(core_);
    c->run([&](accounts::Context& ctx) {
        const auto row = c->store().account(id);
        const bool live = row && row->status != static_cast<int>(AccountStatus::erased);
        if (live) c->retention().refuse_if_held(ctx, id);
        c->accounts().erase(ctx, id, c->posts_on_erasure());
        if (live) c->retention().erased_directly(ctx, id);  // replayed after a restore
    });
}

std::vector<AuditEntry> Audit::read(const AuditFilter& filter) const {
    return core_->peek([&] { return core_->audit_log().read(filter); });
}

AuditVerifyResult Audit::verify(const std::optional<std::string>& expected_head) const {
    return core_->peek([&] { return core_->audit_log().verify(expected_head); });
}

// ---- free functions -----------------------------------------------------------

const char* version() noexcept { return "0.1.0"; }

EngineVersions engine_versions() {
    crypto::init();
    return EngineVersions{version(), store::require_codec(), store::sqlite_version(), crypto::sodium_version()};
}

const char* account_status_name(AccountStatus s) noexcept {
    switch (s) {
        case AccountStatus::active: return "active";
        case AccountStatus::cancelled: return "cancelled";
        case AccountStatus::closed: return "closed";
        case AccountStatus::erased: return "erased";
    }
    return "unknown";
}

AccountStatus account_status_from_name(const std::string& name) {
    for (auto s : {AccountStatus::active, AccountStatus::cancelled, AccountStatus::closed, AccountStatus::erased}) {
        if (name == account_status_name(s)) return s;
    }
    fail(Errc::invalid_argument, "unknown account status (expected active, cancelled, closed or erased)");
}

}  // namespace casevault
