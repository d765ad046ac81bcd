// The retention engine's facades, and the long operations that need the
// vault itself: the sweep (one transaction per subject and due trigger),
// backups, and restore with erasure replay.
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include <climits>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "common/ids.hpp"
#include "crypto/primitives.hpp"
#include "retention/inbound.hpp"
#include "vault/vault_core.hpp"

namespace casevault {

using json = nlohmann::json;

const char* retention_trigger_name(RetentionTrigger t) noexcept {
    switch (t) {
        case RetentionTrigger::inactivity: return "inactivity";
        case RetentionTrigger::cancellation: return "cancellation";
        case RetentionTrigger::deletion_request: return "deletion_request";
        case RetentionTrigger::reconsent_declined: return "reconsent_declined";
        case RetentionTrigger::account_closed: return "account_closed";
    }
    return "unknown";
}

const char* request_kind_name(RequestKind k) noexcept {
    switch (k) {
        case RequestKind::cancel: return "cancel";
        case RequestKind::erase: return "delete";
    }
    return "unknown";
}

const char* request_state_name(RequestState s) noexcept {
    switch (s) {
        case RequestState::awaiting_confirmation: return "awaiting_confirmation";
        case RequestState::pending: return "pending";
        case RequestState::done: return "done";
        case RequestState::expired: return "expired";
        case RequestState::withdrawn: return "withdrawn";
    }
    return "unknown";
}

const char* inbound_outcome_name(InboundOutcome o) noexcept {
    switch (o) {
        case InboundOutcome::no_command: return "no_command";
        case InboundOutcome::ambiguous: return "ambiguous";
        case InboundOutcome::negated: return "negated";
        case InboundOutcome::mention_only: return "mention_only";
        case InboundOutcome::unknown_sender: return "unknown_sender";
        case InboundOutcome::channel_not_accepted: return "channel_not_accepted";
        case InboundOutcome::awaiting_confirmation: return "awaiting_confirmation";
        case InboundOutcome::accepted: return "accepted";
    }
    return "unknown";
}

const char* hold_scope_name(HoldScope s) noexcept {
    switch (s) {
        case HoldScope::subject: return "subject";
        case HoldScope::case_file: return "case";
    }
    return "unknown";
}

const char* hold_state_name(HoldState s) noexcept {
    switch (s) {
        case HoldState::active: return "active";
        case HoldState::continued: return "continued";
        case HoldState::expired: return "expired";
        case HoldState::released: return "released";
    }
    return "unknown";
}

Activity Vault::activity() { return Activity(core_); }
Requests Vault::requests() { return Requests(core_); }
Holds Vault::holds() { return Holds(core_); }
Retention Vault::retention() { return Retention(core_); }
Backups Vault::backups() { return Backups(core_); }

// ---- facades ---------------------------------------------------------------

ActivityState Activity::record(const std::string& subject, const std::string& kind, std::int64_t at) {
    VaultCore* c = live(core_);
    return c->run([&](accounts::Context& ctx) { return c->retention().record_activity(ctx, subject, kind, at); });
}

ActivityState Activity::state(const std::string& subject) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context& ctx) { return c->retention().activity_state(subject, ctx.now); });
}

RetentionRequest Requests::cancel(const std::string& subject, Channel channel) {
    VaultCore* c = live(core_);
    return c->run([&](accounts::Context& ctx) {
        return c->retention().request(ctx, subject, RequestKind::cancel, channel);
    });
}

RetentionRequest Requests::erase(const std::string& subject, Channel channel) {
    VaultCore* c = live(core_);
    return c->run([&](accounts::Context& ctx) {
        return c->retention().request(ctx, subject, RequestKind::erase, channel);
    });
}

InboundResult Requests::inbound(const InboundMessage& message) {
    VaultCore* c = live(core_);
    return c->run([&](accounts::Context& ctx) { return c->retention().inbound(ctx, message); });
}

InboundResult Requests::parse(const InboundMessage& message) {
    const auto p = retention::parse_command(message);
    InboundResult r;
    r.outcome = p.outcome;
    r.command = p.command;
    return r;
}

RetentionRequest Requests::confirm(const std::string& code) {
    VaultCore* c = live(core_);
    return c->run([&](accounts::Context& ctx) { return c->retention().confirm(ctx, code); });
}

RetentionRequest Requests::get(const std::string& request_id) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context&) { return c->retention().get_request(request_id); });
}

std::vector<RetentionRequest> Requests::list(const std::string& subject) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context&) { return c->retention().list_requests(subject); });
}

Hold Holds::place(const HoldRequest& request) {
    VaultCore* c = live(core_);
    return c->run([&](accounts::Context& ctx) { return c->retention().place_hold(ctx, request); });
}

Hold Holds::extend(const std::string& hold_id) {
    VaultCore* c = live(core_);
    return c->run([&](accounts::Context& ctx) { return c->retention().extend_hold(ctx, hold_id); });
}

Hold Holds::record_process(const std::string& hold_id, const std::string& process, const std::string& reference) {
    VaultCore* c = live(core_);
    return c->run(
        [&](accounts::Context& ctx) { return c->retention().hold_process(ctx, hold_id, process, reference); });
}

Hold Holds::release(const std::string& hold_id) {
    VaultCore* c = live(core_);
    return c->run([&](accounts::Context& ctx) { return c->retention().release_hold(ctx, hold_id); });
}

Hold Holds::get(const std::string& hold_id) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context&) { return c->retention().get_hold(hold_id); });
}

std::vector<Hold> Holds::list(const std::string& subject, bool include_ended) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context&) { return c->retention().list_holds(subject, include_ended); });
}

SweepPlan Retention::preview(std::int64_t now) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context& ctx) {
        auto& r = c->retention();
        r.require_policy();
        SweepPlan plan;
        plan.now = now == 0 ? ctx.now : now;
        for (const auto& h : c->store().holds_expiring(static_cast<int>(HoldState::active), plan.now)) {
            plan.holds_expiring.push_back(h.id);
        }
        for (const auto& q : c->store().unconfirmed_requests(plan.now, 10000)) plan.requests_expiring.push_back(q.id);
        for (const auto& b : r.expired_backups(plan.now)) plan.backups_expiring.push_back(b.id);
        store::DueRow cursor;
        cursor.due_at = LLONG_MIN;
        for (;;) {
            const auto page = r.due_page(plan.now, cursor, 1000);
            if (page.empty()) break;
            for (const auto& row : page) r.process_subject(ctx, row.subject, plan.now, false, &plan, nullptr, row.trigger);
            cursor = page.back();
        }
        return plan;
    });
}

SweepReport Retention::sweep(const SweepOptions& options) { return live(core_)->sweep(options); }

std::vector<DeletionReceipt> Retention::receipts_for(const std::string& subject) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context&) { return c->retention().receipts_for(subject); });
}

std::vector<DeletionReceipt> Retention::receipts(const std::string& after_id, std::size_t limit) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context&) { return c->retention().receipts(after_id, limit); });
}

std::string Retention::subject_ref(const std::string& subject) {
    VaultCore* c = live(core_);
    // A write: the first call creates the retention key.
    return c->run([&](accounts::Context&) {
        records::check_id(subject, "acc", "an account");
        return c->retention().subject_ref(subject);
    });
}

BackupInfo Backups::create(const std::string& path, const ProgressFn& progress) {
    return live(core_)->backup(path, progress);
}

std::vector<BackupInfo> Backups::list(bool include_removed) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context&) {
        std::vector<BackupInfo> out;
        for (const auto& b : c->store().backups(include_removed)) {
            out.push_back(BackupInfo{b.id, b.path, b.taken_at, b.size, b.sha256, b.removed_at});
        }
        return out;
    });
}

RestoreReport Backups::restore(const std::string& path, const ProgressFn& progress) {
    return live(core_)->restore(path, progress);
}

// ---- the long operations ------------------------------------------------------

namespace {

void report(const ProgressFn& fn, const char* phase, std::int64_t done, std::int64_t total) {
    if (fn && !fn(Progress{phase, done, total})) fail(Errc::cancelled, "cancelled by the progress callback");
}

std::function<bool(std::int64_t, std::int64_t)> pages(const ProgressFn& fn, const char* phase) {
    if (!fn) return {};
    return [fn, phase](std::int64_t done, std::int64_t total) { return fn(Progress{phase, done, total}); };
}

std::string replay_file(const std::string& store_path) { return store_path + ".restore-replay"; }

}  // namespace

SweepReport VaultCore::sweep(const SweepOptions& o) {
    if (o.batch_size == 0 || o.batch_size > 100000) fail(Errc::invalid_argument, "batch_size must be in 1..100000");
    if (o.subjects_per_commit == 0 || o.subjects_per_commit > 10000) {
        fail(Errc::invalid_argument, "subjects_per_commit must be in 1..10000");
    }
    SweepReport rep;
    rep.now = o.now != 0 ? o.now : now();
    if (rep.now < 0) fail(Errc::invalid_argument, "now must be a Unix time");
    // Holds whose period ended stop deferring deletions in this same sweep.
    run([&](accounts::Context& ctx) {
        retention_->require_policy();
        // Never earlier than the real clock would: a sweep told to act as of a
        // later time ends no hold and no confirmation period early.
        const auto [holds, requests] = retention_->expire(ctx, std::min(rep.now, ctx.now));
        rep.holds_expired = holds;
        rep.requests_expired = requests;
    });
    report(o.progress, "holds", rep.holds_expired, rep.holds_expired);
    std::int64_t total = read([&](accounts::Context&) { return retention_->count_due(rep.now); });
    report(o.progress, "plan", total, total);
    std::int64_t done = 0;
    store::DueRow cursor;
    cursor.due_at = LLONG_MIN;
    // Checkpoints every 40,000 pages (about 160 MB of WAL) instead of 1,000:
    // each one syncs the file, and a sweep writes a few pages per subject.
    // One passive checkpoint at the end folds the rest in.
    struct Checkpoints {
        VaultCore& core;
        explicit Checkpoints(VaultCore& c) : core(c) {
            core.peek([&] { core.store().set_autocheckpoint(40000); });
        }
        ~Checkpoints() {
            try {
                core.peek([&] {
                    core.store().set_autocheckpoint(1000);
                    core.store().checkpoint();
                });
            } catch (...) {  // the vault may have been closed by now; nothing to restore
            }
        }
    } checkpoints(*this);
    for (;;) {
        const auto page = read([&](accounts::Context&) { return retention_->due_page(rep.now, cursor, o.batch_size); });
        if (page.empty()) break;
        cursor = page.back();
        for (std::size_t i = 0; i < page.size();) {
            // A group of subjects per transaction; each one's step is whole
            // in it, and the schedule row moves with it, so a crash leaves
            // every step done or not begun.
            const std::size_t end = std::min(page.size(), i + o.subjects_per_commit);
            run([&](accounts::Context& ctx) {
                for (std::size_t k = i; k < end; ++k) {
                    retention_->process_subject(ctx, page[k].subject, rep.now, true, nullptr, &rep, page[k].trigger);
                }
            });
            for (; i < end; ++i) {
                total = std::max(total, ++done);
                report(o.progress, "subjects", done, total);
            }
        }
    }
    guard_->forget_all();  // cases and posts may be gone
    const auto expired = read([&](accounts::Context&) { return retention_->expired_backups(rep.now); });
    std::int64_t removed = 0;
    for (const auto& b : expired) {
        run([&](accounts::Context& ctx) { retention_->remove_backup(ctx, b, rep.now); });
        report(o.progress, "backups", ++removed, static_cast<std::int64_t>(expired.size()));
    }
    rep.backups_removed = removed;
    return rep;
}

BackupInfo VaultCore::backup(const std::string& path, const ProgressFn& progress) {
    if (path.empty()) fail(Errc::invalid_argument, "backup path is empty");
    const std::string resolved = store::resolve_path(path);
    BackupInfo info;
    info.id = new_id("bak");
    info.path = resolved;
    peek([&] {
        if (resolved == path_) fail(Errc::invalid_argument, "the backup path is the store itself");
        info.taken_at = clock_();
        store_->backup_to(resolved, keys_.page, header_.bytes,
                          {{"backup.id", info.id}, {"backup.taken_at", std::to_string(info.taken_at)}},
                          pages(progress, "backup"));
    });
    try {
        info.sha256 = crypto::sha256_file_hex(resolved);
        struct stat sb {};
        if (::stat(resolved.c_str(), &sb) != 0) fail(Errc::io, "cannot stat the backup file");
        info.size = static_cast<std::int64_t>(sb.st_size);
        run([&](accounts::Context& ctx) {
            store_->insert_backup(store::BackupRow{info.id, info.path, info.taken_at, info.size, info.sha256, 0});
            log_->append(ctx.now, ctx.actor, "backup.create", "", info.id, "ok", std::to_string(info.size));
        });
    } catch (...) {
        store::remove_store_files(resolved);
        throw;
    }
    return info;
}

RestoreReport VaultCore::restore(const std::string& path, const ProgressFn& progress) {
    if (path.empty()) fail(Errc::invalid_argument, "backup path is empty");
    const std::string resolved = store::resolve_path(path);
    unsigned char first[store::kFileSaltBytes];
    const auto state = store::probe_file(resolved, first);
    if (state == store::FileState::missing) fail(Errc::not_found, "no backup file at this path");
    if (state != store::FileState::present) fail(Errc::corrupt, "not a casevault backup");
    RestoreReport out;
    json pending;
    {
        std::lock_guard<std::mutex> lock(mu_);
        require_open();
        if (resolved == path_) fail(Errc::invalid_argument, "the backup path is the store itself");
        if (log_->pending() > 0) flush_locked();
        // The same key and salt, or it is another store's (or an older key's) file.
        if (!crypto::equal_ct(first, header_.bytes, sizeof first)) {
            fail(Errc::wrong_key, "the backup was written under another key (before a rekey, or by another store)");
        }
        std::vector<store::BackupRow> catalog;
        std::vector<store::LedgerRow> ledger;
        std::vector<store::ReceiptRow> receipts;  // the proof of deletions must outlive the restore too
        std::string retention_key;                // wrapped; receipts and minimised records need it
        std::vector<store::HoldRow> holds;        // a hold placed after the backup still holds
        std::vector<store::ErasureRequestRow> requests;  // and a request made after it still stands
        {
            auto tx = store_->begin_read();
            catalog = store_->backups(true);
            ledger = store_->ledger_after(0);
            retention_key = store_->meta("retention_key").value_or("");
            holds = store_->holds(std::nullopt);
            requests = store_->erasure_requests(std::nullopt);
            for (std::string after;;) {
                auto page = store_->receipts_after(after, 10000);
                if (page.empty()) break;
                after = page.back().id;
                for (auto& r : page) receipts.push_back(std::move(r));
            }
            tx->commit();
        }
        for (const auto& b : catalog) {
            if (b.path == resolved && b.removed_at == 0 && crypto::sha256_file_hex(resolved) != b.sha256) {
                fail(Errc::corrupt, "the backup's checksum differs from the catalog's: it was altered");
            }
        }
        const auto facts = store::SqlcipherStore::read_backup(resolved, keys_.page, header_.bytes);
        out.backup_id = facts.backup_id.value_or("");
        out.taken_at = facts.taken_at ? std::stoll(*facts.taken_at) : 0;
        report(progress, "restore", 0, 1);  // the last moment a cancel changes nothing

        // What must survive the restore, written down before the store is
        // replaced: if the process dies after the copy, the next open
        // finishes the replay from this file (ids and times only).
        pending = json{{"backup_id", out.backup_id},
                       {"catalog", json::array()},
                       {"ledger", json::array()},
                       {"receipts", json::array()},
                       {"retention_key", retention_key}};
        for (const auto& r : receipts) {
            pending["receipts"].push_back({r.id, r.subject_ref, r.trigger, r.rules, r.counts, r.at});
        }
        auto hex = [](const std::optional<store::Bytes>& b) {
            return b ? json(crypto::to_hex(b->data(), b->size())) : json();
        };
        pending["holds"] = json::array();
        for (const auto& h : holds) {
            pending["holds"].push_back({h.id, h.scope, h.target, h.subject, h.authority, hex(h.reference), h.state,
                                        h.placed_at, h.expires_at, h.extensions, h.process ? json(*h.process) : json(),
                                        hex(h.process_reference), h.process_at, h.ended_at, h.confidential});
        }
        pending["requests"] = json::array();
        for (const auto& q : requests) {
            pending["requests"].push_back({q.id, q.subject, q.reason, q.state, q.channel, q.requested_at, q.due_at,
                                           q.kind, q.trigger, hex(q.code_digest), q.confirm_by, q.done_at});
        }
        for (const auto& b : catalog) {
            pending["catalog"].push_back({b.id, b.path, b.taken_at, b.size, b.sha256, b.removed_at});
        }
        for (const auto& l : ledger) {
            if (l.seq > facts.ledger_seq) pending["ledger"].push_back({l.seq, l.subject, l.trigger, l.actions, l.at});
        }
        const std::string side = replay_file(path_);
        {
            std::ofstream f(side, std::ios::trunc);
            std::error_code ec;
            std::filesystem::permissions(side, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                         ec);
            f << pending.dump();
            f.flush();
            if (!f) fail(Errc::io, "cannot write the restore's replay file next to the store");
        }
        try {
            store_->restore_from(resolved, keys_.page, header_.bytes, pages(progress, "restore"));
        } catch (const Error& e) {
            if (e.code() == Errc::cancelled) std::remove(side.c_str());
            throw;
        }
        // Reopen: every cache describes the old content.
        const vault::KeyHeader h = header_;
        crypto::PurposeKeys keys = std::move(keys_);
        detach();
        attach(h, std::move(keys));
    }
    out.erasures_replayed = finish_pending_restore(progress);
    return out;
}

std::int64_t VaultCore::finish_pending_restore(const ProgressFn& progress) {
    const std::string side = replay_file(path_);
    std::ifstream in(side);
    if (!in) return 0;
    json pending;
    try {
        in >> pending;
    } catch (const json::exception&) {
        fail(Errc::corrupt, "the restore's replay file next to the store is damaged");
    }
    std::int64_t replayed = 0;
    run([&](accounts::Context& ctx) {
        store_->delete_all_backups();
        for (const auto& b : pending.at("catalog")) {
            store_->insert_backup(store::BackupRow{b[0], b[1], b[2], b[3], b[4], b[5]});
        }
        // Created once per store and never replaced, so the backup's (if it
        // has one) is this same key; without one, it comes back here.
        const std::string key = pending.value("retention_key", "");
        if (!key.empty()) store_->set_meta("retention_key", key);
        for (const auto& r : pending.value("receipts", json::array())) {
            store_->put_receipt(store::ReceiptRow{r[0], r[1], r[2], r[3], r[4], r[5]});
        }
        auto bytes = [](const json& v) -> std::optional<store::Bytes> {
            if (v.is_null()) return std::nullopt;
            store::Bytes b;
            if (!crypto::from_hex(v.get<std::string>(), b)) fail(Errc::corrupt, "the restore's replay file is damaged");
            return b;
        };
        for (const auto& h : pending.value("holds", json::array())) {
            store::HoldRow row;
            row.id = h[0];
            row.scope = h[1];
            row.target = h[2];
            row.subject = h[3];
            row.authority = h[4];
            row.reference = bytes(h[5]).value_or(store::Bytes{});
            row.state = h[6];
            row.placed_at = h[7];
            row.expires_at = h[8];
            row.extensions = h[9];
            if (!h[10].is_null()) row.process = h[10].get<std::string>();
            row.process_reference = bytes(h[11]);
            row.process_at = h[12];
            row.ended_at = h[13];
            row.confidential = h.size() > 14 && h[14].get<bool>();  // absent in older replay files
            store_->hold(row.id) ? store_->update_hold(row) : store_->insert_hold(row);
        }
        for (const auto& q : pending.value("requests", json::array())) {
            store::ErasureRequestRow row;
            row.id = q[0];
            row.subject = q[1];
            row.reason = q[2];
            row.state = q[3];
            row.channel = q[4];
            row.requested_at = q[5];
            row.due_at = q[6];
            row.kind = q[7];
            row.trigger = q[8];
            row.code_digest = bytes(q[9]);
            row.confirm_by = q[10];
            row.done_at = q[11];
            store_->erasure_request(row.id) ? store_->update_erasure_request(row) : store_->insert_erasure_request(row);
        }
        const auto& ledger = pending.at("ledger");
        std::int64_t done = 0;
        for (const auto& l : ledger) {
            const store::LedgerRow row{l[0], l[1], l[2], l[3], l[4]};
            // Present already: the copy never happened (a restore killed
            // before its pages landed), so this store has done it itself.
            if (store_->has_ledger(row.seq)) continue;
            store_->insert_ledger(row);
            replayed += retention_->replay(ctx, row);
            // Reported, never cancelled: the restored content must not stay unreplayed.
            ++done;
            if (progress) progress(Progress{"replay", done, static_cast<std::int64_t>(ledger.size())});
        }
        retention_->restore_schedule();  // pending requests and the rules in force
        log_->append(ctx.now, ctx.actor, "backup.restore", "", pending.at("backup_id").get<std::string>(), "ok",
                     "replayed:" + std::to_string(replayed));
    });
    std::remove(side.c_str());
    guard_->forget_all();
    return replayed;
}

}  // namespace casevault
