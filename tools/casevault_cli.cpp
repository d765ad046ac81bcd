// casevault: the operator CLI for a casevault store.
//
//   casevault init PATH [--kdf default|interactive|moderate|testing]
//   casevault info PATH [--json]
//   casevault audit verify PATH [--expect-head HEAD] [--json]
//   casevault rekey PATH [--new-key-file F | --new-passphrase-file F] [--kdf ...]
//   casevault policy lint FILE
//   casevault policy show PATH [--version N] [--json]
//   casevault policy publish PATH FILE
//   casevault policy diff PATH FROM TO [--json]
//   casevault principal add|list|disable ..., case assign|unassign|assignees ...
//   casevault can PATH ACTOR ACTION KIND ID [--json]
//   casevault sweep PATH [--dry-run] [--now TIME] [--json]
//   casevault receipts PATH [SUBJECT] [--json]
//   casevault backup create PATH DEST | list PATH [--all] | restore PATH BACKUP [--json]
//   casevault hold list PATH [SUBJECT] [--all] | show PATH HOLD
//   casevault hold place PATH --subject ID|--case ID --authority A --reference-file F
//   casevault hold extend|release PATH HOLD | process PATH HOLD PROCESS --reference-file F
//   casevault export PATH SUBJECT > FILE.json
//   casevault report aggregates PATH [--purpose P] [--since T] [--until T] [--min-count K] [--json]
//   casevault disclosure list PATH [SUBJECT] [--json]
//   casevault subprocessor list PATH [--all] | add PATH NAME --purpose P --categories C,... --location L
//   casevault subprocessor retire PATH NAME
//   casevault version | help
//
// Secrets never come from argv: only from files, environment variables or an
// interactive prompt with echo off.
#include <casevault/casevault.hpp>

#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <vector>

namespace cv = casevault;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitUsage = 2;
constexpr int kExitAuditBroken = 3;

const char* const kUsage = R"(usage: casevault <command> [options]

commands:
  init PATH                  create a new, empty store
  info PATH                  show versions, schema, key mode, KDF, counts,
                             the active policy version and pending notifications
  audit verify PATH          recompute the audit chain; exit 3 if it is broken
  check PATH                 authenticate every page in use, then verify the
                             audit chain; exit 1 if a page is damaged, 3 if
                             the chain is broken
  rekey PATH                 re-encrypt the store under a new passphrase or key
  policy lint FILE           validate a policy document (no store needed);
                             exit 1 and list the problems if it is invalid
  policy show PATH           show the active policy (or --version N)
  policy publish PATH FILE   publish FILE as the new active policy version;
                             holders of grants it invalidates are asked to
                             consent again (progress on stderr; Ctrl-C cancels)
  policy diff PATH FROM TO   what changed between two published versions
  principal add PATH ROLE    register a principal (attorney, staff, support,
                             system or agency); prints its id
  principal list PATH        the registered principals
  principal disable PATH ID  deny the principal everything from now on
  case assign PATH CASE PRN  assign an attorney or staff principal to a case
  case unassign PATH CASE PRN
  case assignees PATH CASE   the principals assigned to a case
  can PATH ACTOR ACTION KIND ID
                             may ACTOR do ACTION (read, write, erase, export,
                             disclose) to record KIND (account, consent, case,
                             correspondence, billing, post, audit) ID? Prints
                             allowed or denied and the rule (a denial is audited)
  sweep PATH                 delete what the policy's retention rules say is
                             due, expire holds, requests and old backups;
                             prints what was done (progress on stderr;
                             Ctrl-C stops it: what was done stays done, and
                             the next sweep continues)
  sweep PATH --dry-run       what a sweep would delete, by which rules, what
                             legal holds keep back, and the holds, backups and
                             unconfirmed requests that would expire; changes
                             nothing
  receipts PATH [SUBJECT]    deletion receipts (all, or one subject's)
  backup create PATH DEST    write an encrypted copy of the store to the new
                             file DEST and catalog it (progress on stderr)
  backup list PATH           the cataloged backups (--all: removed ones too)
  backup restore PATH BACKUP
                             replace the store's content with a backup (a file
                             or a cataloged bak_ id), then replay every
                             erasure made since, so nobody erased comes back
                             (progress on stderr; 'restore PATH BACKUP' too)
  hold list PATH [SUBJECT]   legal holds in force (--all: ended ones too)
  hold show PATH HOLD        one hold, with its legal-process reference
  hold place PATH --subject ID|--case ID --authority A --reference-file F
                             a preservation request: no rule deletes the
                             subject's (or the case's) data while it lasts
  hold extend PATH HOLD      a renewed request: one more extension period
  hold process PATH HOLD PROCESS --reference-file F
                             a release process (warrant, court order, ...)
                             arrived: the hold lasts until released
  hold release PATH HOLD     end a hold; the deletions it deferred happen at
                             the next sweep ('holds' works as well as 'hold')
  export PATH SUBJECT        everything held about one person as one JSON
                             document (docs/export-format.md), streamed to
                             stdout: casevault export PATH SUBJECT > file.json
                             (audited; what a nondisclosure order forbids
                             telling is left out)
  report aggregates PATH     de-identified counts: cases by form type, status
                             and month; accounts by status and month; billing
                             by month and state. No count below k (the
                             policy's aggregates.min_count) is shown, nor any
                             that a published total would reveal
  disclosure list PATH [SUBJECT]
                             the disclosures recorded (a subject's, or all);
                             names and references stay sealed
  subprocessor list PATH     the registered subprocessors (--all: retired too)
  subprocessor add PATH NAME --purpose P --categories C,... --location L
                             register a service provider under a policy
                             purpose and categories
  subprocessor retire PATH NAME
                             no further disclosures to it; history is kept
  version                    show the library and engine versions
  help                       show this text

options:
  --key-file F               the store key: 32 raw bytes, or 64 hex characters
  --passphrase-file F        the passphrase: the first line of F
  --kdf NAME                 init/rekey: Argon2id cost for a passphrase:
                             default, interactive, moderate or testing
                             (init: default; rekey: keep the store's own)
  --json                     info, audit verify, policy diff, principal list,
                             can, sweep, receipts, backup, hold, report,
                             disclosure, subprocessor: print JSON; policy
                             show: print the canonical document
  --version N                policy show: that version instead of the active one
  --expect-head HEAD         audit verify: also check the chain still holds a
                             head recorded earlier (detects a cut-off tail)
  --new-key-file F           rekey: switch to this raw key (as --key-file)
  --new-passphrase-file F    rekey: switch to this passphrase (first line of F)
  --dry-run                  sweep: only show what would be done
  --now TIME                 sweep: act as of TIME instead of the clock: Unix
                             seconds, or a UTC date (2026-05-01, midnight) or
                             date and time (2026-05-01T12:00:00Z)
  --all                      backup list, hold list, subprocessor list:
                             include removed backups, ended holds and retired
                             subprocessors
  --subject ID, --case ID    hold place: hold an account, or one case
  --authority A              hold place: one of the policy's preservation
                             authorities (disclosures.preservation)
  --reference-file F         hold place/process: the legal-process reference,
                             one line read from F (- for stdin; prompted for
                             on a terminal), never from the command line
  --purpose P                report aggregates: the policy purpose served (its
                             data_form must be aggregate or deidentified);
                             subprocessor add: the purpose it serves
  --since T, --until T       report aggregates: only records from --since
                             (inclusive) to --until (exclusive); times as for
                             --now, at the start of a UTC month (2026-05-01)
  --min-count K              report aggregates: raise k (never below the
                             policy's)
  --categories C,...         subprocessor add: the policy categories it gets
  --location L               subprocessor add: where it processes data ("US")

secrets are never taken from the command line. The store secret comes from
--key-file, --passphrase-file, $CASEVAULT_PASSPHRASE, or a prompt (when stdin
is a terminal), in that order. For rekey the new one comes from
--new-key-file, --new-passphrase-file, $CASEVAULT_NEW_PASSPHRASE, or a prompt.

exit status: 0 ok, 1 error (for policy lint: the document is invalid),
2 usage error (for policy lint: also an unreadable FILE), 3 audit chain broken
)";

struct UsageError {
    std::string message;
};

// ---- secrets ----------------------------------------------------------------

void wipe(std::string& s) {
    volatile char* p = s.data();
    for (std::size_t i = 0; i < s.size(); ++i) p[i] = 0;
    s.clear();
}

void wipe(std::vector<std::uint8_t>& v) {
    volatile std::uint8_t* p = v.data();
    for (std::size_t i = 0; i < v.size(); ++i) p[i] = 0;
    v.clear();
}

// A passphrase or a raw key, wiped when it goes out of scope.
struct Secret {
    std::optional<std::string> passphrase;
    std::optional<std::vector<std::uint8_t>> key;
    Secret() = default;
    Secret(const Secret&) = delete;
    Secret& operator=(const Secret&) = delete;
    ~Secret() {
        if (passphrase) wipe(*passphrase);
        if (key) wipe(*key);
    }
};

std::string read_file(const std::string& path, const char* what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw cv::Error(cv::Errc::io, std::string("cannot read the ") + what + " " + path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// 32 raw bytes, or 64 hex characters with an optional trailing newline.
std::vector<std::uint8_t> read_key_file(const std::string& path) {
    std::string data = read_file(path, "key file");
    std::vector<std::uint8_t> key;
    if (data.size() == 32) {
        key.assign(data.begin(), data.end());
    } else {
        std::string hex = data;
        while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r')) hex.pop_back();
        bool ok = hex.size() == 64;
        for (std::size_t i = 0; ok && i < 64; i += 2) {
            const int hi = hex_value(hex[i]), lo = hex_value(hex[i + 1]);
            if (hi < 0 || lo < 0) ok = false;
            else key.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
        }
        wipe(hex);
        if (!ok) {
            wipe(data);
            wipe(key);
            throw cv::Error(cv::Errc::invalid_argument,
                            "the key file " + path + " must hold 32 raw bytes or 64 hex characters");
        }
    }
    wipe(data);
    return key;
}

std::string first_line(std::string s) {
    const auto end = s.find_first_of("\r\n");
    std::string line = s.substr(0, end);
    wipe(s);
    return line;
}

std::string read_passphrase_file(const std::string& path) {
    std::string pass = first_line(read_file(path, "passphrase file"));
    if (pass.empty()) throw cv::Error(cv::Errc::invalid_argument, "the passphrase file " + path + " is empty");
    return pass;
}

// Reads one line from the terminal with echo off.
std::string prompt_hidden(const char* prompt) {
    std::fputs(prompt, stderr);
    std::fflush(stderr);
    termios old_attrs{};
    const bool have_tty = tcgetattr(STDIN_FILENO, &old_attrs) == 0;
    if (have_tty) {
        termios quiet = old_attrs;
        quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
        quiet.c_lflag |= ECHONL;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    std::string line;
    const bool got = static_cast<bool>(std::getline(std::cin, line));
    if (have_tty) tcsetattr(STDIN_FILENO, TCSAFLUSH, &old_attrs);
    if (!got) throw cv::Error(cv::Errc::invalid_argument, "no passphrase entered");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) throw cv::Error(cv::Errc::invalid_argument, "the passphrase is empty");
    return line;
}

std::string prompt_new_passphrase(const char* prompt) {
    std::string first = prompt_hidden(prompt);
    std::string again = prompt_hidden("Repeat it: ");
    const bool same = first == again;
    wipe(again);
    if (!same) {
        wipe(first);
        throw cv::Error(cv::Errc::invalid_argument, "the two passphrases differ");
    }
    return first;
}

// ---- command line -------------------------------------------------------------

struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::string> opts;  // "--key-file" -> "F"; flags -> ""
    bool has(const char* name) const { return opts.count(name) != 0; }
    std::optional<std::string> get(const char* name) const {
        auto it = opts.find(name);
        if (it == opts.end()) return std::nullopt;
        return it->second;
    }
};

Args parse_args(int argc, char** argv) {
    static const char* const with_value[] = {"--key-file",     "--passphrase-file",     "--kdf",
                                             "--expect-head",  "--new-key-file",        "--new-passphrase-file",
                                             "--version",      "--now",                 "--subject",
                                             "--case",         "--authority",           "--reference-file",
                                             "--purpose",      "--since",               "--until",
                                             "--min-count",    "--categories",          "--location"};
    static const char* const flags[] = {"--json", "--help", "-h", "--dry-run", "--all"};
    static const char* const refused[] = {"--passphrase", "--key", "--new-passphrase", "--new-key", "--password"};
    Args a;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        std::optional<std::string> inline_value;
        if (arg.rfind("--", 0) == 0) {
            const auto eq = arg.find('=');
            if (eq != std::string::npos) {
                inline_value = arg.substr(eq + 1);
                arg.resize(eq);
            }
        }
        if (arg.empty() || arg[0] != '-' || arg == "-") {
            a.positional.push_back(arg);
            continue;
        }
        for (const char* r : refused) {
            if (arg == r) {
                throw UsageError{arg + " is not accepted: secrets never go on the command line; use " +
                                 (arg.find("new") != std::string::npos ? "--new-passphrase-file, --new-key-file"
                                                                       : "--passphrase-file, --key-file") +
                                 " or the environment"};
            }
        }
        bool known = false;
        for (const char* o : with_value) {
            if (arg != o) continue;
            known = true;
            if (!inline_value) {
                if (i + 1 >= argc) throw UsageError{arg + " needs a value"};
                inline_value = argv[++i];
            }
            if (a.opts.count(arg)) throw UsageError{arg + " given twice"};
            a.opts[arg] = *inline_value;
        }
        for (const char* f : flags) {
            if (arg != f) continue;
            known = true;
            if (inline_value) throw UsageError{arg + " takes no value"};
            a.opts[arg] = "";
        }
        if (!known) throw UsageError{"unknown option " + arg};
    }
    return a;
}

// Options each command accepts; anything else is a usage error.
void allow_only(const Args& a, const std::string& command, std::initializer_list<const char*> allowed) {
    for (const auto& [name, value] : a.opts) {
        bool ok = false;
        for (const char* n : allowed) ok = ok || name == n;
        if (!ok) throw UsageError{name + " does not apply to '" + command + "'"};
    }
}

cv::KdfParams kdf_from_name(const std::string& name) {
    if (name == "default") return cv::KdfParams{};
    if (name == "interactive") return cv::KdfParams::interactive();
    if (name == "moderate") return cv::KdfParams::moderate();
    if (name == "testing") return cv::KdfParams::testing();
    throw UsageError{"--kdf must be default, interactive, moderate or testing, not '" + name + "'"};
}

const char* env(const char* name) {
    const char* v = std::getenv(name);
    return (v && *v) ? v : nullptr;
}

// The store secret: --key-file, --passphrase-file, $CASEVAULT_PASSPHRASE, prompt.
void load_secret(const Args& a, Secret& out, bool creating) {
    if (a.has("--key-file") && a.has("--passphrase-file")) {
        throw UsageError{"give either --key-file or --passphrase-file, not both"};
    }
    if (auto f = a.get("--key-file")) {
        out.key = read_key_file(*f);
    } else if (auto p = a.get("--passphrase-file")) {
        out.passphrase = read_passphrase_file(*p);
    } else if (const char* e = env("CASEVAULT_PASSPHRASE")) {
        out.passphrase = std::string(e);
    } else if (isatty(STDIN_FILENO)) {
        out.passphrase = creating ? prompt_new_passphrase("New store passphrase: ") : prompt_hidden("Passphrase: ");
    } else {
        throw cv::Error(cv::Errc::invalid_argument,
                        "no secret: use --key-file, --passphrase-file or CASEVAULT_PASSPHRASE "
                        "(stdin is not a terminal, so there is no prompt)");
    }
}

// The new secret for rekey: --new-key-file, --new-passphrase-file,
// $CASEVAULT_NEW_PASSPHRASE, prompt (twice).
void load_new_secret(const Args& a, Secret& out) {
    if (a.has("--new-key-file") && a.has("--new-passphrase-file")) {
        throw UsageError{"give either --new-key-file or --new-passphrase-file, not both"};
    }
    if (auto f = a.get("--new-key-file")) {
        out.key = read_key_file(*f);
    } else if (auto p = a.get("--new-passphrase-file")) {
        out.passphrase = read_passphrase_file(*p);
    } else if (const char* e = env("CASEVAULT_NEW_PASSPHRASE")) {
        out.passphrase = std::string(e);
    } else if (isatty(STDIN_FILENO)) {
        out.passphrase = prompt_new_passphrase("New passphrase: ");
    } else {
        throw cv::Error(cv::Errc::invalid_argument,
                        "no new secret: use --new-key-file, --new-passphrase-file or CASEVAULT_NEW_PASSPHRASE");
    }
}

// Opens with the secret; the copies OpenOptions holds are wiped afterwards.
volatile std::sig_atomic_t g_interrupted = 0;
void on_sigint(int) { g_interrupted = 1; }

// Progress on stderr: redrawn in place on a terminal, a line per step of 10% otherwise.
class ProgressPrinter {
public:
    bool operator()(const cv::Progress& p) {
        const int pct = p.total > 0 ? static_cast<int>(p.done * 100 / p.total) : 100;
        const bool new_phase = p.phase != phase_;
        if (new_phase && !phase_.empty() && tty_) std::fputc('\n', stderr);
        if (new_phase || (tty_ ? pct != pct_ : pct >= pct_ + 10 || (p.done == p.total && pct_ != pct))) {
            std::fprintf(stderr, tty_ ? "\r  %-8s %lld/%lld (%d%%)" : "  %-8s %lld/%lld (%d%%)\n", p.phase.c_str(),
                         static_cast<long long>(p.done), static_cast<long long>(p.total), pct);
            std::fflush(stderr);
            phase_ = p.phase;
            pct_ = pct;
        }
        return g_interrupted == 0;  // Ctrl-C cancels (see with_progress)
    }
    void finish() {
        if (tty_ && !phase_.empty()) std::fputc('\n', stderr);
    }

private:
    bool tty_ = isatty(STDERR_FILENO) != 0;
    std::string phase_;
    int pct_ = -1;
};

// Runs a long operation with its progress on stderr; Ctrl-C cancels it at
// its next progress report (rekey, publish, backup: the store stays as it
// was; sweep: the subjects done stay done). The printer is finished and
// SIGINT restored however the operation ends.
template <class F>
auto with_progress(F f) -> decltype(f(cv::ProgressFn{})) {
    std::signal(SIGINT, on_sigint);
    ProgressPrinter printer;
    struct Restore {
        ProgressPrinter& printer;
        ~Restore() {
            printer.finish();
            std::signal(SIGINT, SIG_DFL);
        }
    } restore{printer};
    return f(cv::ProgressFn([&printer](const cv::Progress& p) { return printer(p); }));
}

cv::Vault open_vault(const std::string& path, const Secret& s, bool create, const cv::KdfParams& kdf = {}) {
    cv::OpenOptions o;
    o.passphrase = s.passphrase;
    o.key = s.key;
    o.kdf = kdf;
    o.create_if_missing = create;
    o.actor = "casevault-cli";
    // Schema migrations of an older store can take a while: show them.
    auto printer = std::make_shared<ProgressPrinter>();
    o.progress = [printer](const cv::Progress& p) { return (*printer)(p); };
    auto wipe_options = [&o] {
        if (o.passphrase) wipe(*o.passphrase);
        if (o.key) wipe(*o.key);
    };
    try {
        cv::Vault v = cv::Vault::open(path, o);
        wipe_options();
        printer->finish();
        return v;
    } catch (...) {
        wipe_options();
        throw;
    }
}

bool file_exists(const std::string& path) {
    struct stat sb {};
    return ::stat(path.c_str(), &sb) == 0;
}

std::string kdf_text(const cv::KdfParams& k) {
    const unsigned long long bytes = 1ULL << k.memlimit_log2;
    std::string mem = bytes >= (1ULL << 20) ? std::to_string(bytes >> 20) + " MiB" : std::to_string(bytes >> 10) + " KiB";
    return "argon2id, opslimit " + std::to_string(k.opslimit) + ", memory 2^" + std::to_string(k.memlimit_log2) +
           " (" + mem + ")";
}

std::string single_path(const Args& a, std::size_t at, const std::string& command) {
    if (a.positional.size() != at + 1) throw UsageError{"'" + command + "' takes exactly one PATH"};
    return a.positional[at];
}

// The existing store named by the command's one PATH, opened with the secret
// from --key-file / --passphrase-file / the environment / a prompt.
cv::Vault open_store(const Args& a, const std::string& path) {
    Secret s;
    load_secret(a, s, false);
    return open_vault(path, s, false);
}

cv::Vault open_existing(const Args& a, std::size_t path_at, const std::string& command) {
    return open_store(a, single_path(a, path_at, command));
}

// ---- commands -----------------------------------------------------------------

int cmd_init(const Args& a) {
    allow_only(a, "init", {"--key-file", "--passphrase-file", "--kdf"});
    const std::string path = single_path(a, 1, "init");
    cv::KdfParams kdf = kdf_from_name(a.get("--kdf").value_or("default"));
    if (a.has("--kdf") && a.has("--key-file")) throw UsageError{"--kdf applies to a passphrase, not a --key-file"};
    if (file_exists(path)) throw cv::Error(cv::Errc::invalid_argument, path + " already exists; init creates new stores only");

    Secret s;
    load_secret(a, s, true);
    cv::Vault v = open_vault(path, s, true, kdf);
    const cv::VaultInfo info = v.info();
    v.close();
    std::cout << "created " << path << " (schema " << info.schema_version << ", key mode " << info.key_mode;
    if (info.key_mode == "passphrase") std::cout << ", " << kdf_text(info.kdf);
    std::cout << ")\n";
    return kExitOk;
}

int cmd_info(const Args& a) {
    allow_only(a, "info", {"--key-file", "--passphrase-file", "--json"});
    cv::Vault v = open_existing(a, 1, "info");
    const cv::VaultInfo i = v.info();
    const std::optional<cv::PolicyVersion> policy = v.policy().active();
    const std::int64_t pending = v.outbox().pending();
    v.close();

    if (a.has("--json")) {
        nlohmann::json j = {
            {"path", i.path},
            {"versions", {{"casevault", i.library_version}, {"sqlcipher", i.sqlcipher_version},
                          {"sqlite", i.sqlite_version}, {"sodium", i.sodium_version}}},
            {"schema_version", i.schema_version},
            {"key_mode", i.key_mode},
            {"accounts", {{"total", i.accounts}, {"active", i.accounts_active}, {"erased", i.accounts_erased}}},
            {"audit_entries", i.audit_entries},
            {"records", {{"principals", i.principals}, {"cases", i.cases}, {"messages", i.messages},
                         {"payments", i.payments}, {"posts", i.posts}}},
            {"policy", policy ? nlohmann::json{{"version", policy->version}, {"hash", policy->hash}}
                              : nlohmann::json(nullptr)},
            {"notifications_pending", pending},
        };
        if (i.key_mode == "passphrase") {
            j["kdf"] = {{"algorithm", "argon2id"}, {"opslimit", i.kdf.opslimit}, {"memlimit_log2", i.kdf.memlimit_log2}};
        } else {
            j["kdf"] = nullptr;
        }
        std::cout << j.dump(2) << "\n";
        return kExitOk;
    }
    std::cout << "path            " << i.path << "\n"
              << "casevault       " << i.library_version << "\n"
              << "sqlcipher       " << i.sqlcipher_version << " (sqlite " << i.sqlite_version << ")\n"
              << "libsodium       " << i.sodium_version << "\n"
              << "schema version  " << i.schema_version << "\n"
              << "key mode        " << i.key_mode << "\n";
    if (i.key_mode == "passphrase") std::cout << "kdf             " << kdf_text(i.kdf) << "\n";
    std::cout << "accounts        " << i.accounts << " (" << i.accounts_active << " active, " << i.accounts_erased
              << " erased)\n"
              << "audit entries   " << i.audit_entries << "\n"
              << "records         " << i.cases << " cases, " << i.messages << " messages, " << i.payments
              << " payments, " << i.posts << " posts; " << i.principals << " principals\n"
              << "policy          "
              << (policy ? "version " + std::to_string(policy->version) + " (" + policy->hash + ")"
                         : std::string("none published"))
              << "\n"
              << "outbox          " << pending << " notification" << (pending == 1 ? "" : "s") << " pending\n";
    return kExitOk;
}

int cmd_audit(const Args& a) {
    if (a.positional.size() < 2 || a.positional[1] != "verify") throw UsageError{"usage: casevault audit verify PATH"};
    allow_only(a, "audit verify", {"--key-file", "--passphrase-file", "--expect-head", "--json"});
    cv::Vault v = open_existing(a, 2, "audit verify");
    const cv::AuditVerifyResult r = v.audit().verify(a.get("--expect-head"));
    v.close();

    if (a.has("--json")) {
        nlohmann::json j = {{"ok", r.ok}, {"entries", r.entries}, {"head", r.head}};
        if (!r.ok) {
            j["first_bad_seq"] = r.first_bad_seq;
            j["problem"] = r.problem;
        }
        std::cout << j.dump(2) << "\n";
    } else if (r.ok) {
        std::cout << "audit chain ok\n"
                  << "entries  " << r.entries << "\n"
                  << "head     " << r.head << "\n";
    } else {
        std::cout << "audit chain BROKEN\n"
                  << "entries checked  " << r.entries << "\n"
                  << "first bad seq    " << r.first_bad_seq << "\n"
                  << "problem          " << r.problem << "\n";
    }
    return r.ok ? kExitOk : kExitAuditBroken;
}

int cmd_check(const Args& a) {
    allow_only(a, "check", {"--key-file", "--passphrase-file", "--expect-head"});
    cv::Vault v = open_existing(a, 1, "check");
    const std::int64_t pages = v.check_integrity();  // throws corrupt: exit 1
    std::cout << "pages ok        " << pages << "\n";
    const cv::AuditVerifyResult r = v.audit().verify(a.get("--expect-head"));
    v.close();
    if (!r.ok) {
        std::cout << "audit chain BROKEN at seq " << r.first_bad_seq << ": " << r.problem << "\n";
        return kExitAuditBroken;
    }
    std::cout << "audit chain ok  " << r.entries << " entries, head " << r.head << "\n";
    return kExitOk;
}


int cmd_rekey(const Args& a) {
    allow_only(a, "rekey", {"--key-file", "--passphrase-file", "--new-key-file", "--new-passphrase-file", "--kdf"});
    std::optional<cv::KdfParams> kdf;
    if (auto k = a.get("--kdf")) kdf = kdf_from_name(*k);
    if (kdf && a.has("--new-key-file")) throw UsageError{"--kdf applies to a new passphrase, not a --new-key-file"};

    cv::Vault v = open_existing(a, 1, "rekey");
    const std::string path = a.positional[1];
    Secret new_secret;
    load_new_secret(a, new_secret);

    std::fprintf(stderr, "re-encrypting %s\n", path.c_str());
    with_progress([&](const cv::ProgressFn& progress) {
        if (new_secret.key) v.change_key(*new_secret.key, progress);
        else v.change_passphrase(*new_secret.passphrase, kdf, progress);
    });
    v.close();
    std::cout << "rekeyed " << path << " (now " << (new_secret.key ? "a raw key" : "a passphrase") << ")\n";
    return kExitOk;
}

// ---- policy -------------------------------------------------------------------

// A positive version number from the command line.
std::int64_t version_arg(const std::string& text, const char* what) {
    bool ok = !text.empty() && text.size() <= 18;
    for (char c : text) ok = ok && c >= '0' && c <= '9';
    const std::int64_t v = ok ? std::stoll(text) : 0;
    if (v < 1) throw UsageError{std::string(what) + " must be a policy version number (1, 2, ...), not '" + text + "'"};
    return v;
}

// The whole of a policy file; nullopt with `why` set when it cannot be read.
std::optional<std::string> read_policy_file(const std::string& path, std::string& why) {
    struct stat sb {};
    if (::stat(path.c_str(), &sb) != 0) {
        why = std::strerror(errno);
        return std::nullopt;
    }
    if (S_ISDIR(sb.st_mode)) {
        why = "it is a directory";
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        why = std::strerror(errno);
        return std::nullopt;
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) {
        why = "read error";
        return std::nullopt;
    }
    return text;
}

// One problem a line: "<JSON pointer>: <message>", "/" for the document itself.
void print_problems(std::ostream& out, const std::vector<cv::PolicyProblem>& problems) {
    for (const auto& p : problems) out << (p.path.empty() ? "/" : p.path) << ": " << p.message << "\n";
}

std::string utc_time(std::int64_t unix_seconds) {
    const std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    char buf[32];
    if (!gmtime_r(&t, &tm) || std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0) {
        return std::to_string(unix_seconds);
    }
    return buf;
}

std::string joined(const std::vector<std::string>& v, const char* sep = ", ", const char* none = "-") {
    if (v.empty()) return none;
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

// The flags of a purpose that differ from the defaults, for `policy show`.
std::vector<std::string> purpose_flags(const cv::PolicyPurpose& p) {
    std::vector<std::string> f;
    if (p.requires_fresh_consent) f.push_back("requires fresh consent");
    if (p.close_on_decline) f.push_back("declining closes and erases the account");
    if (p.consent_max_days) f.push_back("grant lasts at most " + std::to_string(*p.consent_max_days) + " days");
    if (p.third_party_disclosure) f.push_back("disclosed to third parties");
    // Always shown: the defaults per legal basis are the core's to know.
    std::vector<std::string> names;
    for (auto st : p.account_statuses) names.push_back(cv::account_status_name(st));
    f.push_back("accounts " + joined(names, "/"));
    if (!p.depends_on.empty()) f.push_back("depends on " + joined(p.depends_on));
    if (p.data_form != "identified") f.push_back(p.data_form + " data");
    return f;
}

void print_policy(const cv::PolicyVersion& p) {
    std::size_t width = 0;
    for (const auto& c : p.categories) width = std::max(width, c.id.size());
    for (const auto& pp : p.purposes) width = std::max(width, pp.id.size());
    auto col = [width](const std::string& id) { return "  " + id + std::string(width - id.size() + 2, ' '); };

    std::cout << "policy          " << p.name << "\n"
              << "version         " << p.version << (p.active ? " (active)" : " (superseded)") << "\n"
              << "hash            " << p.hash << "\n"
              << "effective date  " << p.effective_date << "\n"
              << "published at    " << utc_time(p.published_at) << "\n"
              << "jurisdiction    " << p.jurisdiction << "\n";
    if (!p.text_url.empty()) std::cout << "text            " << p.text_url << "\n";
    if (!p.text_sha256.empty()) std::cout << "text sha256     " << p.text_sha256 << "\n";
    std::cout << "\npurposes (" << p.purposes.size() << ")\n";
    for (const auto& pp : p.purposes) {
        std::cout << col(pp.id) << cv::legal_basis_name(pp.legal_basis) << ": " << joined(pp.categories) << "\n";
        const auto flags = purpose_flags(pp);
        if (!flags.empty()) std::cout << std::string(width + 4, ' ') << joined(flags, "; ") << "\n";
    }
    std::cout << "\ncategories (" << p.categories.size() << ")\n";
    for (const auto& c : p.categories) {
        std::cout << col(c.id) << c.kind << ": " << c.description << "\n";
    }
}

int cmd_policy_lint(const Args& a) {
    allow_only(a, "policy lint", {});
    if (a.positional.size() != 3) throw UsageError{"usage: casevault policy lint FILE"};
    const std::string& file = a.positional[2];
    std::string why;
    const std::optional<std::string> text = read_policy_file(file, why);
    if (!text) {
        std::cerr << "casevault: cannot read the policy file " << file << ": " << why << "\n";
        return kExitUsage;
    }
    const std::vector<cv::PolicyProblem> problems = cv::lint_policy(*text);
    if (problems.empty()) {
        const cv::PolicyVersion p = cv::parse_policy(*text);
        std::cout << "ok: " << p.name << " version " << p.version << "\n";
        return kExitOk;
    }
    print_problems(std::cout, problems);
    std::cerr << "casevault: " << file << ": " << problems.size() << " problem" << (problems.size() == 1 ? "" : "s")
              << "\n";
    return kExitError;
}

int cmd_policy_show(const Args& a) {
    allow_only(a, "policy show", {"--key-file", "--passphrase-file", "--version", "--json"});
    std::optional<std::int64_t> version;
    if (auto v = a.get("--version")) version = version_arg(*v, "--version");
    cv::Vault v = open_existing(a, 2, "policy show");
    const std::optional<cv::PolicyVersion> p = version ? std::optional(v.policy().get(*version)) : v.policy().active();
    v.close();
    if (!p) {
        std::cerr << "casevault: no policy has been published in this store yet "
                     "(see 'casevault policy publish PATH FILE')\n";
        return kExitError;
    }
    if (a.has("--json")) std::cout << p->document << "\n";  // the canonical text, whose sha256 is the hash
    else print_policy(*p);
    return kExitOk;
}

int cmd_policy_publish(const Args& a) {
    allow_only(a, "policy publish", {"--key-file", "--passphrase-file"});
    if (a.positional.size() != 4) throw UsageError{"usage: casevault policy publish PATH FILE"};
    const std::string& path = a.positional[2];
    const std::string& file = a.positional[3];
    // Validate before asking for the secret or touching the store.
    const std::string text = read_file(file, "policy file");
    cv::PolicyVersion doc;
    try {
        doc = cv::parse_policy(text);
    } catch (const cv::PolicyInvalid& e) {
        const auto& problems = e.problems();
        std::cerr << "casevault: error: " << file << " is not a valid policy (" << problems.size() << " problem"
                  << (problems.size() == 1 ? "" : "s") << "; nothing was published):\n";
        print_problems(std::cerr, problems);
        return kExitError;
    }

    Secret s;
    load_secret(a, s, false);
    cv::Vault v = open_vault(path, s, false);
    std::fprintf(stderr, "publishing %s version %lld to %s\n", file.c_str(), static_cast<long long>(doc.version),
                 path.c_str());
    const cv::PublishResult r =
        with_progress([&](const cv::ProgressFn& progress) { return v.policy().publish(text, progress); });
    v.close();
    std::cout << "published version " << r.policy.version << " of " << r.policy.name << "\n"
              << "hash                    " << r.policy.hash << "\n"
              << "asked to re-consent     " << r.subjects_reconsent << " subject"
              << (r.subjects_reconsent == 1 ? "" : "s") << "\n"
              << "notifications queued    " << r.notifications << "\n";
    return kExitOk;
}

int cmd_policy_diff(const Args& a) {
    allow_only(a, "policy diff", {"--key-file", "--passphrase-file", "--json"});
    if (a.positional.size() != 5) throw UsageError{"usage: casevault policy diff PATH FROM TO"};
    const std::int64_t from = version_arg(a.positional[3], "FROM");
    const std::int64_t to = version_arg(a.positional[4], "TO");
    const std::string& path = a.positional[2];
    Secret s;
    load_secret(a, s, false);
    cv::Vault v = open_vault(path, s, false);
    const cv::PolicyDiff d = v.policy().diff(from, to);
    v.close();

    if (a.has("--json")) {
        const nlohmann::json j = {
            {"from", d.from},
            {"to", d.to},
            {"purposes", {{"added", d.purposes_added}, {"removed", d.purposes_removed}, {"changed", d.purposes_changed}}},
            {"categories", {{"added", d.categories_added}, {"removed", d.categories_removed}}},
            {"roles_changed", d.roles_changed},
            {"retention_changed", d.retention_changed},
            {"disclosures_changed", d.disclosures_changed},
            {"notifications_changed", d.notifications_changed},
            {"reconsent_purposes", d.reconsent_purposes},
        };
        std::cout << j.dump(2) << "\n";
        return kExitOk;
    }
    auto changed = [](bool c) { return c ? "changed" : "unchanged"; };
    std::cout << "policy version " << d.from << " -> " << d.to << "\n"
              << "purposes added       " << joined(d.purposes_added) << "\n"
              << "purposes removed     " << joined(d.purposes_removed) << "\n"
              << "purposes changed     " << joined(d.purposes_changed) << "\n"
              << "categories added     " << joined(d.categories_added) << "\n"
              << "categories removed   " << joined(d.categories_removed) << "\n"
              << "roles changed        " << joined(d.roles_changed) << "\n"
              << "retention            " << changed(d.retention_changed) << "\n"
              << "disclosures          " << changed(d.disclosures_changed) << "\n"
              << "notifications        " << changed(d.notifications_changed) << "\n"
              << "re-consent asked for " << joined(d.reconsent_purposes) << "\n";
    return kExitOk;
}

int cmd_policy(const Args& a) {
    const std::string sub = a.positional.size() >= 2 ? a.positional[1] : "";
    if (sub == "lint") return cmd_policy_lint(a);
    if (sub == "show") return cmd_policy_show(a);
    if (sub == "publish") return cmd_policy_publish(a);
    if (sub == "diff") return cmd_policy_diff(a);
    throw UsageError{sub.empty() ? "usage: casevault policy lint|show|publish|diff ..."
                                 : "unknown policy command '" + sub + "' (lint, show, publish or diff)"};
}

int cmd_principal(const Args& a) {
    const std::string sub = a.positional.size() >= 2 ? a.positional[1] : "";
    if (sub == "add") {
        allow_only(a, "principal add", {"--key-file", "--passphrase-file"});
        if (a.positional.size() != 4) throw UsageError{"usage: casevault principal add PATH ROLE"};
        cv::Role role;
        try {
            role = cv::role_from_name(a.positional[3]);
        } catch (const cv::Error&) {
            throw UsageError{"ROLE must be attorney, staff, support, system or agency"};
        }
        cv::Vault v = open_store(a, a.positional[2]);
        const cv::Principal p = v.principals().add(role);
        v.close();
        std::cout << p.id << "\n";
        return kExitOk;
    }
    if (sub == "list") {
        allow_only(a, "principal list", {"--key-file", "--passphrase-file", "--json"});
        if (a.positional.size() != 3) throw UsageError{"usage: casevault principal list PATH"};
        cv::Vault v = open_existing(a, 2, "principal list");
        const auto list = v.principals().list();
        v.close();
        if (a.has("--json")) {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& p : list) {
                out.push_back({{"id", p.id}, {"role", cv::role_name(p.role)}, {"created_at", p.created_at},
                               {"active", p.active}});
            }
            std::cout << out.dump(2) << "\n";
        } else {
            for (const auto& p : list) {
                std::cout << p.id << "  " << cv::role_name(p.role) << (p.active ? "" : "  (disabled)") << "\n";
            }
        }
        return kExitOk;
    }
    if (sub == "disable") {
        allow_only(a, "principal disable", {"--key-file", "--passphrase-file"});
        if (a.positional.size() != 4) throw UsageError{"usage: casevault principal disable PATH ID"};
        cv::Vault v = open_store(a, a.positional[2]);
        v.principals().disable(a.positional[3]);
        v.close();
        std::cout << "disabled " << a.positional[3] << "\n";
        return kExitOk;
    }
    throw UsageError{sub.empty() ? "usage: casevault principal add|list|disable ..."
                                 : "unknown principal command '" + sub + "' (add, list or disable)"};
}

int cmd_case(const Args& a) {
    const std::string sub = a.positional.size() >= 2 ? a.positional[1] : "";
    allow_only(a, "case " + sub, {"--key-file", "--passphrase-file"});
    if (sub == "assign" || sub == "unassign") {
        if (a.positional.size() != 5) throw UsageError{"usage: casevault case " + sub + " PATH CASE PRINCIPAL"};
        cv::Vault v = open_store(a, a.positional[2]);
        if (sub == "assign") v.cases().assign(a.positional[3], a.positional[4]);
        else v.cases().unassign(a.positional[3], a.positional[4]);
        v.close();
        std::cout << sub << "ed " << a.positional[4] << (sub == "assign" ? " to " : " from ") << a.positional[3]
                  << "\n";
        return kExitOk;
    }
    if (sub == "assignees") {
        if (a.positional.size() != 4) throw UsageError{"usage: casevault case assignees PATH CASE"};
        cv::Vault v = open_store(a, a.positional[2]);
        for (const auto& p : v.cases().assignees(a.positional[3])) std::cout << p << "\n";
        v.close();
        return kExitOk;
    }
    throw UsageError{sub.empty() ? "usage: casevault case assign|unassign|assignees ..."
                                 : "unknown case command '" + sub + "' (assign, unassign or assignees)"};
}

int cmd_can(const Args& a) {
    allow_only(a, "can", {"--key-file", "--passphrase-file", "--json"});
    if (a.positional.size() != 6) throw UsageError{"usage: casevault can PATH ACTOR ACTION KIND ID"};
    cv::Action action;
    cv::RecordKind kind;
    try {
        action = cv::action_from_name(a.positional[3]);
        kind = cv::record_kind_from_name(a.positional[4]);
    } catch (const cv::Error& e) {
        throw UsageError{e.what()};
    }
    cv::Vault v = open_store(a, a.positional[1]);
    const cv::AccessVerdict verdict = v.can(a.positional[2], action, {kind, a.positional[5]});
    v.close();
    if (a.has("--json")) {
        std::cout << nlohmann::json{{"allowed", verdict.allowed}, {"rule", verdict.rule}}.dump() << "\n";
    } else {
        std::cout << (verdict.allowed ? "allowed " : "denied ") << verdict.rule << "\n";
    }
    return kExitOk;
}

// ---- retention: sweep, receipts, backups, holds -----------------------------------

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

// A time from the command line: Unix seconds, or an ISO-8601 UTC date
// (YYYY-MM-DD, meaning its midnight) or date and time (YYYY-MM-DDTHH:MM:SSZ).
std::int64_t time_arg(const std::string& text, const char* what) {
    const UsageError bad{std::string(what) + " must be Unix seconds or a UTC time such as 2026-05-01 or " +
                         "2026-05-01T12:00:00Z, not '" + text + "'"};
    auto number = [&text](std::size_t from, std::size_t n, int& out) {
        out = 0;
        for (std::size_t i = from; i < from + n; ++i) {
            if (text[i] < '0' || text[i] > '9') return false;
            out = out * 10 + (text[i] - '0');
        }
        return true;
    };
    const bool all_digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
    std::int64_t t = 0;
    if (all_digits && text.size() != 8) {  // 20260501 is too likely a date without its dashes
        if (text.size() > 12) throw bad;
        t = std::stoll(text);
    } else {
        int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
        const bool date = text.size() >= 10 && number(0, 4, y) && text[4] == '-' && number(5, 2, mo) &&
                          text[7] == '-' && number(8, 2, d);
        const bool date_only = date && text.size() == 10;
        const bool date_time = date && text.size() == 20 && (text[10] == 'T' || text[10] == 't') &&
                               number(11, 2, h) && text[13] == ':' && number(14, 2, mi) && text[16] == ':' &&
                               number(17, 2, s) && (text[19] == 'Z' || text[19] == 'z');
        if (!date_only && !date_time) throw bad;
        static const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        if (mo < 1 || mo > 12 || d < 1 || d > month_days[mo - 1] + (mo == 2 && leap ? 1 : 0) || h > 23 || mi > 59 ||
            s > 59) {
            throw bad;
        }
        t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
    }
    if (t <= 0) throw UsageError{std::string(what) + " must be after 1970-01-01T00:00:00Z"};
    return t;
}

// How far `t` is from the system clock, for the note a --now sweep prints.
std::string relative_to_clock(std::int64_t t) {
    const std::int64_t diff = t - static_cast<std::int64_t>(std::time(nullptr));
    const std::int64_t mag = diff < 0 ? -diff : diff;
    if (mag < 60) return "the clock's own time";
    const std::string amount = mag >= 2 * 86400  ? std::to_string(mag / 86400) + " days"
                               : mag >= 2 * 3600 ? std::to_string(mag / 3600) + " hours"
                                                 : std::to_string(mag / 60) + " minutes";
    if (diff < 0) return amount + " behind the clock";
    return amount + " ahead of the clock: what falls due by then is deleted now";
}

// "case 1 delete, billing 2 minimize" (with the actions) or "case 1, billing 2".
std::string record_counts(const std::map<std::string, std::int64_t>& counts,
                          const std::map<std::string, std::string>* actions = nullptr) {
    std::vector<std::string> parts;
    for (const auto& [kind, n] : counts) {
        std::string part = kind + " " + std::to_string(n);
        if (actions) {
            const auto it = actions->find(kind);
            if (it != actions->end()) part += " " + it->second;
        }
        parts.push_back(part);
    }
    return joined(parts, ", ", "none");
}

nlohmann::json held_json(const std::vector<cv::HeldBack>& held) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& h : held) {
        out.push_back({{"subject", h.subject}, {"trigger", cv::retention_trigger_name(h.trigger)},
                       {"hold_id", h.hold_id}, {"reason", h.reason}});
    }
    return out;
}

void print_held(const std::vector<cv::HeldBack>& held) {
    for (const auto& h : held) {
        std::cout << "  " << h.subject << "  " << cv::retention_trigger_name(h.trigger) << "  by " << h.hold_id
                  << " (" << h.reason << ")\n";
    }
}

void print_plan(const std::string& path, const cv::SweepPlan& p, bool json) {
    if (json) {
        nlohmann::json deletions = nlohmann::json::array();
        for (const auto& d : p.deletions) {
            deletions.push_back({{"subject", d.subject}, {"trigger", cv::retention_trigger_name(d.trigger)},
                                 {"rules", d.rules}, {"due_at", d.due_at}, {"counts", d.counts},
                                 {"actions", d.actions}});
        }
        const nlohmann::json j = {{"dry_run", true},
                                  {"now", p.now},
                                  {"deletions", deletions},
                                  {"held", held_json(p.held)},
                                  {"holds_expiring", p.holds_expiring},
                                  {"backups_expiring", p.backups_expiring},
                                  {"requests_expiring", p.requests_expiring}};
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::cout << "sweep preview of " << path << " as of " << utc_time(p.now) << " (dry run: nothing was changed)\n";
    if (p.deletions.empty()) {
        std::cout << "\nnothing is due\n";
    } else {
        std::cout << "\nwould delete (" << p.deletions.size() << ")\n";
        for (const auto& d : p.deletions) {
            std::cout << "  " << d.subject << "  " << cv::retention_trigger_name(d.trigger) << ", due "
                      << utc_time(d.due_at) << "\n"
                      << "      rules    " << joined(d.rules) << "\n"
                      << "      records  " << record_counts(d.counts, &d.actions) << "\n";
        }
    }
    if (!p.held.empty()) {
        std::cout << "\nheld back by legal holds (" << p.held.size() << ")\n";
        print_held(p.held);
    }
    std::cout << "\nholds expiring      " << joined(p.holds_expiring) << "\n"
              << "backups expiring    " << joined(p.backups_expiring) << "\n"
              << "requests expiring   " << joined(p.requests_expiring) << "\n";
}

void print_report(const std::string& path, const cv::SweepReport& r, bool json) {
    if (json) {
        const nlohmann::json j = {{"dry_run", false},
                                  {"now", r.now},
                                  {"subjects", r.subjects},
                                  {"counts", r.counts},
                                  {"receipts", r.receipts},
                                  {"held", held_json(r.held)},
                                  {"holds_expired", r.holds_expired},
                                  {"backups_removed", r.backups_removed},
                                  {"requests_expired", r.requests_expired}};
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::cout << "swept " << path << " as of " << utc_time(r.now) << "\n"
              << "subjects done       " << r.subjects << "\n"
              << "records             " << record_counts(r.counts) << "\n"
              << "receipts            " << joined(r.receipts) << "\n"
              << "held back           " << r.held.size() << "\n";
    print_held(r.held);
    std::cout << "holds expired       " << r.holds_expired << "\n"
              << "backups removed     " << r.backups_removed << "\n"
              << "requests expired    " << r.requests_expired << "\n";
}

int cmd_sweep(const Args& a) {
    allow_only(a, "sweep", {"--key-file", "--passphrase-file", "--dry-run", "--now", "--json"});
    const std::string path = single_path(a, 1, "sweep");
    std::int64_t now = 0;  // the vault's clock
    if (auto t = a.get("--now")) now = time_arg(*t, "--now");
    cv::Vault v = open_store(a, path);
    if (a.has("--dry-run")) {
        const cv::SweepPlan plan = v.retention().preview(now);
        v.close();
        print_plan(path, plan, a.has("--json"));
        return kExitOk;
    }
    if (now != 0) {
        std::fprintf(stderr, "sweeping %s as of %s (--now, %s)\n", path.c_str(), utc_time(now).c_str(),
                     relative_to_clock(now).c_str());
    } else {
        std::fprintf(stderr, "sweeping %s\n", path.c_str());
    }
    cv::SweepReport r;
    try {
        r = with_progress([&](const cv::ProgressFn& progress) {
            cv::SweepOptions o;
            o.now = now;
            o.progress = progress;
            return v.retention().sweep(o);
        });
    } catch (const cv::Error& e) {
        if (e.code() != cv::Errc::cancelled) throw;
        std::cerr << "casevault: sweep interrupted: the subjects already done stay done (with their receipts); "
                     "run it again to continue\n";
        return kExitError;
    }
    v.close();
    print_report(path, r, a.has("--json"));
    return kExitOk;
}

int cmd_receipts(const Args& a) {
    allow_only(a, "receipts", {"--key-file", "--passphrase-file", "--json"});
    if (a.positional.size() != 2 && a.positional.size() != 3) {
        throw UsageError{"usage: casevault receipts PATH [SUBJECT]"};
    }
    cv::Vault v = open_store(a, a.positional[1]);
    std::vector<cv::DeletionReceipt> all;
    if (a.positional.size() == 3) {
        all = v.retention().receipts_for(a.positional[2]);
    } else {
        for (std::string after;;) {
            auto page = v.retention().receipts(after, 1000);
            if (page.empty()) break;
            after = page.back().id;
            for (auto& r : page) all.push_back(std::move(r));
        }
    }
    v.close();
    if (a.has("--json")) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& r : all) {
            out.push_back({{"id", r.id}, {"subject_ref", r.subject_ref},
                           {"trigger", cv::retention_trigger_name(r.trigger)}, {"rules", r.rules},
                           {"counts", r.counts}, {"at", r.at}});
        }
        std::cout << out.dump(2) << "\n";
        return kExitOk;
    }
    for (const auto& r : all) {
        std::cout << r.id << "  " << utc_time(r.at) << "  " << cv::retention_trigger_name(r.trigger) << "  "
                  << joined(r.rules) << "  " << record_counts(r.counts) << "\n";
    }
    return kExitOk;
}

// ---- backups ----------------------------------------------------------------

nlohmann::json backup_json(const cv::BackupInfo& b) {
    return {{"id", b.id},
            {"path", b.path},
            {"taken_at", b.taken_at},
            {"size", b.size},
            {"sha256", b.sha256},
            {"removed_at", b.removed_at ? nlohmann::json(b.removed_at) : nlohmann::json(nullptr)}};
}

// The backup file a restore names: a path, or the id of a cataloged backup.
std::string backup_file(cv::Vault& v, const std::string& arg) {
    if (file_exists(arg)) return arg;
    if (arg.rfind("bak_", 0) != 0) throw cv::Error(cv::Errc::not_found, "no backup file at " + arg);
    for (const auto& b : v.backups().list(true)) {
        if (b.id != arg) continue;
        if (b.removed_at != 0) {
            throw cv::Error(cv::Errc::not_found, "backup " + b.id + " was removed on " + utc_time(b.removed_at) +
                                                     " (past the policy's backup window)");
        }
        return b.path;
    }
    throw cv::Error(cv::Errc::not_found, "no backup file or cataloged backup named " + arg);
}

int cmd_backup_restore(const Args& a, std::size_t path_at) {
    allow_only(a, "backup restore", {"--key-file", "--passphrase-file", "--json"});
    if (a.positional.size() != path_at + 2) throw UsageError{"usage: casevault backup restore PATH BACKUP"};
    const std::string& path = a.positional[path_at];
    cv::Vault v = open_store(a, path);
    const std::string file = backup_file(v, a.positional[path_at + 1]);
    std::fprintf(stderr, "restoring %s from %s (its content is replaced; erasures made since are replayed)\n",
                 path.c_str(), file.c_str());
    const cv::RestoreReport r =
        with_progress([&](const cv::ProgressFn& progress) { return v.backups().restore(file, progress); });
    v.close();
    if (a.has("--json")) {
        const nlohmann::json j = {
            {"backup_id", r.backup_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.backup_id)},
            {"taken_at", r.taken_at},
            {"erasures_replayed", r.erasures_replayed}};
        std::cout << j.dump(2) << "\n";
        return kExitOk;
    }
    std::cout << "restored " << path << " from " << (r.backup_id.empty() ? "an uncataloged backup" : r.backup_id)
              << " taken at " << utc_time(r.taken_at) << "\n"
              << "erasures replayed  " << r.erasures_replayed << "\n";
    return kExitOk;
}

int cmd_backup(const Args& a) {
    const std::string sub = a.positional.size() >= 2 ? a.positional[1] : "";
    if (sub == "create") {
        allow_only(a, "backup create", {"--key-file", "--passphrase-file", "--json"});
        if (a.positional.size() != 4) throw UsageError{"usage: casevault backup create PATH DEST"};
        const std::string& path = a.positional[2];
        const std::string& dest = a.positional[3];
        if (file_exists(dest)) {
            throw cv::Error(cv::Errc::invalid_argument, dest + " already exists; a backup is always a new file");
        }
        cv::Vault v = open_store(a, path);
        std::fprintf(stderr, "backing up %s to %s\n", path.c_str(), dest.c_str());
        const cv::BackupInfo b =
            with_progress([&](const cv::ProgressFn& progress) { return v.backups().create(dest, progress); });
        v.close();
        if (a.has("--json")) {
            std::cout << backup_json(b).dump(2) << "\n";
            return kExitOk;
        }
        std::cout << "backup    " << b.id << "\n"
                  << "path      " << b.path << "\n"
                  << "taken at  " << utc_time(b.taken_at) << "\n"
                  << "size      " << b.size << " bytes\n"
                  << "sha256    " << b.sha256 << "\n";
        return kExitOk;
    }
    if (sub == "list") {
        allow_only(a, "backup list", {"--key-file", "--passphrase-file", "--all", "--json"});
        if (a.positional.size() != 3) throw UsageError{"usage: casevault backup list PATH [--all]"};
        cv::Vault v = open_store(a, a.positional[2]);
        const auto list = v.backups().list(a.has("--all"));
        v.close();
        if (a.has("--json")) {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& b : list) out.push_back(backup_json(b));
            std::cout << out.dump(2) << "\n";
            return kExitOk;
        }
        for (const auto& b : list) {
            std::cout << b.id << "  " << utc_time(b.taken_at) << "  " << b.size << " bytes  " << b.path
                      << (b.removed_at ? "  (removed " + utc_time(b.removed_at) + ")" : std::string()) << "\n";
        }
        return kExitOk;
    }
    if (sub == "restore") return cmd_backup_restore(a, 2);
    throw UsageError{sub.empty() ? "usage: casevault backup create|list|restore ..."
                                 : "unknown backup command '" + sub + "' (create, list or restore)"};
}

// ---- legal holds ----------------------------------------------------------------

// The legal-process reference: --reference-file F ("-": stdin), or a prompt
// on a terminal. Never from argv, so it stays out of shell history and ps.
std::string read_reference(const Args& a) {
    std::string text;
    std::string source;
    if (auto f = a.get("--reference-file")) {
        if (*f == "-") {
            text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
            source = "stdin";
        } else {
            text = read_file(*f, "reference file");
            source = "the reference file " + *f;
        }
    } else if (isatty(STDIN_FILENO)) {
        std::fputs("Legal-process reference: ", stderr);
        std::fflush(stderr);
        if (!std::getline(std::cin, text)) text.clear();
        source = "the reference entered";
    } else {
        throw UsageError{"give the legal-process reference with --reference-file F (- reads stdin); "
                         "it is never taken from the command line"};
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '\t')) {
        text.pop_back();
    }
    if (text.find_first_not_of(" \t") == std::string::npos) {
        wipe(text);
        throw cv::Error(cv::Errc::invalid_argument, source + " is empty");
    }
    if (text.find_first_of("\r\n") != std::string::npos) {
        wipe(text);
        throw cv::Error(cv::Errc::invalid_argument, source + " holds more than one line; a reference is one line");
    }
    return text;
}

// A reference that is wiped when it goes out of scope.
struct Reference {
    std::string text;
    ~Reference() { wipe(text); }
};

std::string hold_until(const cv::Hold& h) {
    switch (h.state) {
        case cv::HoldState::active: return "until " + utc_time(h.expires_at);
        case cv::HoldState::continued: return "until released (" + h.process + ")";
        case cv::HoldState::expired:
        case cv::HoldState::released: return "ended " + utc_time(h.ended_at);
    }
    return "";
}

std::string hold_target(const cv::Hold& h) {
    if (h.scope == cv::HoldScope::case_file) return "case " + h.target + " of " + h.subject;
    return "subject " + h.target;
}

// The reference is shown by `hold show` only.
nlohmann::json hold_json(const cv::Hold& h, bool with_reference) {
    nlohmann::json j = {{"id", h.id},
                        {"scope", cv::hold_scope_name(h.scope)},
                        {"target", h.target},
                        {"subject", h.subject},
                        {"authority", h.authority},
                        {"state", cv::hold_state_name(h.state)},
                        {"placed_at", h.placed_at},
                        // Meaningless once a release process arrived.
                        {"expires_at", h.process.empty() ? nlohmann::json(h.expires_at) : nlohmann::json(nullptr)},
                        {"extensions", h.extensions},
                        {"process", h.process.empty() ? nlohmann::json(nullptr) : nlohmann::json(h.process)},
                        {"process_at", h.process_at ? nlohmann::json(h.process_at) : nlohmann::json(nullptr)},
                        {"ended_at", h.ended_at ? nlohmann::json(h.ended_at) : nlohmann::json(nullptr)}};
    if (with_reference) j["reference"] = h.reference;
    return j;
}

void print_hold(const cv::Hold& h, bool with_reference, bool json) {
    if (json) {
        std::cout << hold_json(h, with_reference).dump(2) << "\n";
        return;
    }
    std::cout << "hold        " << h.id << "\n"
              << "state       " << cv::hold_state_name(h.state) << ", " << hold_until(h) << "\n"
              << "target      " << hold_target(h) << "\n"
              << "authority   " << h.authority << "\n";
    if (with_reference) std::cout << "reference   " << h.reference << "\n";
    std::cout << "placed at   " << utc_time(h.placed_at) << "\n";
    if (h.process.empty()) {
        std::cout << "expires at  " << utc_time(h.expires_at) << " (" << h.extensions << " extension"
                  << (h.extensions == 1 ? "" : "s") << ")\n";
    }
    if (!h.process.empty()) std::cout << "process     " << h.process << " at " << utc_time(h.process_at) << "\n";
    if (h.ended_at) std::cout << "ended at    " << utc_time(h.ended_at) << "\n";
}

int cmd_hold(const Args& a) {
    const std::string sub = a.positional.size() >= 2 ? a.positional[1] : "";
    const bool json = a.has("--json");
    if (sub == "list") {
        allow_only(a, "hold list", {"--key-file", "--passphrase-file", "--all", "--json"});
        if (a.positional.size() != 3 && a.positional.size() != 4) {
            throw UsageError{"usage: casevault hold list PATH [SUBJECT] [--all]"};
        }
        cv::Vault v = open_store(a, a.positional[2]);
        const auto list = v.holds().list(a.positional.size() == 4 ? a.positional[3] : "", a.has("--all"));
        v.close();
        if (json) {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& h : list) out.push_back(hold_json(h, false));
            std::cout << out.dump(2) << "\n";
            return kExitOk;
        }
        for (const auto& h : list) {
            std::cout << h.id << "  " << cv::hold_state_name(h.state) << "  " << hold_target(h) << "  " << h.authority
                      << "  " << hold_until(h) << "\n";
        }
        return kExitOk;
    }
    if (sub == "show") {
        allow_only(a, "hold show", {"--key-file", "--passphrase-file", "--json"});
        if (a.positional.size() != 4) throw UsageError{"usage: casevault hold show PATH HOLD"};
        cv::Vault v = open_store(a, a.positional[2]);
        const cv::Hold h = v.holds().get(a.positional[3]);
        v.close();
        print_hold(h, true, json);
        return kExitOk;
    }
    if (sub == "place") {
        allow_only(a, "hold place",
                   {"--key-file", "--passphrase-file", "--subject", "--case", "--authority", "--reference-file",
                    "--json"});
        if (a.positional.size() != 3) {
            throw UsageError{"usage: casevault hold place PATH --subject ID|--case ID --authority A "
                             "--reference-file F"};
        }
        if (a.has("--subject") == a.has("--case")) throw UsageError{"hold place needs one of --subject ID or --case ID"};
        if (!a.has("--authority")) {
            throw UsageError{"hold place needs --authority (one of the policy's preservation authorities)"};
        }
        cv::HoldRequest req;
        req.scope = a.has("--case") ? cv::HoldScope::case_file : cv::HoldScope::subject;
        req.target = a.has("--case") ? *a.get("--case") : *a.get("--subject");
        req.authority = *a.get("--authority");
        Reference ref{read_reference(a)};  // before the secret is asked for
        req.reference = ref.text;
        cv::Vault v = open_store(a, a.positional[2]);
        cv::Hold h;
        try {
            h = v.holds().place(req);
        } catch (...) {
            wipe(req.reference);
            throw;
        }
        wipe(req.reference);
        v.close();
        print_hold(h, false, json);
        return kExitOk;
    }
    if (sub == "process") {
        allow_only(a, "hold process", {"--key-file", "--passphrase-file", "--reference-file", "--json"});
        if (a.positional.size() != 5) {
            throw UsageError{"usage: casevault hold process PATH HOLD PROCESS --reference-file F"};
        }
        Reference ref{read_reference(a)};
        cv::Vault v = open_store(a, a.positional[2]);
        const cv::Hold h = v.holds().record_process(a.positional[3], a.positional[4], ref.text);
        v.close();
        print_hold(h, false, json);
        return kExitOk;
    }
    if (sub == "extend" || sub == "release") {
        allow_only(a, "hold " + sub, {"--key-file", "--passphrase-file", "--json"});
        if (a.positional.size() != 4) throw UsageError{"usage: casevault hold " + sub + " PATH HOLD"};
        cv::Vault v = open_store(a, a.positional[2]);
        const cv::Hold h = sub == "extend" ? v.holds().extend(a.positional[3]) : v.holds().release(a.positional[3]);
        v.close();
        if (sub == "release" && !json) {
            std::fprintf(stderr, "released; deletions it deferred happen at the next sweep\n");
        }
        print_hold(h, false, json);
        return kExitOk;
    }
    throw UsageError{sub.empty() ? "usage: casevault hold list|show|place|extend|process|release ..."
                                 : "unknown hold command '" + sub +
                                       "' (list, show, place, extend, process or release)"};
}

// ---- accountability: export, aggregates, disclosures, subprocessors --------------

int cmd_export(const Args& a) {
    allow_only(a, "export", {"--key-file", "--passphrase-file"});
    if (a.positional.size() != 3) throw UsageError{"usage: casevault export PATH SUBJECT > FILE.json"};
    cv::Vault v = open_store(a, a.positional[1]);
    // Straight to stdout as the engine writes it: a long history is never
    // all in memory. A failed write (a closed pipe, a full disk) stops it.
    bool write_failed = false;
    try {
        v.subject_requests().export_to(a.positional[2], [&write_failed](const char* data, std::size_t size) {
            if (std::fwrite(data, 1, size, stdout) != size) write_failed = true;
            return !write_failed;
        });
    } catch (const cv::Error& e) {
        if (!write_failed || e.code() != cv::Errc::cancelled) throw;
    }
    v.close();
    if (write_failed || std::fflush(stdout) != 0) {
        throw cv::Error(cv::Errc::io, std::string("cannot write the export to stdout: ") + std::strerror(errno));
    }
    std::fputc('\n', stdout);
    return kExitOk;
}

// A positive count from the command line.
std::int64_t count_arg(const std::string& text, const char* what) {
    bool ok = !text.empty() && text.size() <= 9;
    for (char c : text) ok = ok && c >= '0' && c <= '9';
    const std::int64_t n = ok ? std::stoll(text) : 0;
    if (n < 1) throw UsageError{std::string(what) + " must be a positive whole number, not '" + text + "'"};
    return n;
}

nlohmann::json cell_json(const cv::AggregateCell& c, bool billing) {
    nlohmann::json j = {{"keys", c.keys},
                        {"count", c.count ? nlohmann::json(*c.count) : nlohmann::json(nullptr)},
                        {"suppressed", c.suppressed}};
    if (billing) j["total_minor"] = c.total_minor ? nlohmann::json(*c.total_minor) : nlohmann::json(nullptr);
    return j;
}

nlohmann::json table_json(const cv::AggregateTable& t) {
    const bool billing = !t.currency.empty();
    nlohmann::json cells = nlohmann::json::array(), margins = nlohmann::json::array();
    for (const auto& c : t.cells) cells.push_back(cell_json(c, billing));
    for (const auto& c : t.margins) margins.push_back(cell_json(c, billing));
    return {{"name", t.name},
            {"dimensions", t.dimensions},
            {"currency", billing ? nlohmann::json(t.currency) : nlohmann::json(nullptr)},
            {"min_count", t.min_count},
            {"cells", cells},
            {"margins", margins},
            {"total", cell_json(t.total, billing)},
            {"suppressed_primary", t.suppressed_primary},
            {"suppressed_complementary", t.suppressed_complementary}};
}

// A table as aligned columns: its cells, then its margins, then the total.
// A suppressed count is shown as "suppressed", never as a bound.
void print_table(const cv::AggregateTable& t) {
    const bool billing = !t.currency.empty();
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header = t.dimensions;
    header.push_back("count");
    if (billing) header.push_back("total");
    rows.push_back(header);
    auto add = [&](const cv::AggregateCell& c) {
        std::vector<std::string> row = c.keys;
        row.resize(t.dimensions.size());
        row.push_back(c.count ? std::to_string(*c.count) : "suppressed");
        if (billing) row.push_back(c.total_minor ? std::to_string(*c.total_minor) : "suppressed");
        rows.push_back(row);
    };
    for (const auto& c : t.cells) add(c);
    for (const auto& c : t.margins) add(c);
    add(t.total);

    std::vector<std::size_t> width(header.size(), 0);
    for (const auto& r : rows)
        for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
    std::cout << t.name << (billing ? " (" + t.currency + ", totals in minor units)" : std::string()) << "  k = "
              << t.min_count << "; suppressed: " << t.suppressed_primary << " below k, "
              << t.suppressed_complementary << " complementary\n";
    for (const auto& r : rows) {
        std::string line = " ";
        for (std::size_t i = 0; i < r.size(); ++i) line += " " + r[i] + std::string(width[i] - r[i].size() + 1, ' ');
        while (!line.empty() && line.back() == ' ') line.pop_back();
        std::cout << line << "\n";
    }
}

int cmd_report(const Args& a) {
    const std::string sub = a.positional.size() >= 2 ? a.positional[1] : "";
    if (sub != "aggregates") {
        throw UsageError{sub.empty() ? "usage: casevault report aggregates PATH [--purpose P] [--since T] "
                                       "[--until T] [--min-count K] [--json]"
                                     : "unknown report '" + sub + "' (aggregates)"};
    }
    allow_only(a, "report aggregates",
               {"--key-file", "--passphrase-file", "--purpose", "--since", "--until", "--min-count", "--json"});
    const std::string path = single_path(a, 2, "report aggregates");
    cv::AggregateOptions o;
    o.purpose = a.get("--purpose").value_or("");
    if (auto t = a.get("--since")) o.since = time_arg(*t, "--since");
    if (auto t = a.get("--until")) o.until = time_arg(*t, "--until");
    if (auto k = a.get("--min-count")) o.min_count = count_arg(*k, "--min-count");
    if (o.since && o.until && o.until <= o.since) throw UsageError{"--until must be after --since"};
    cv::Vault v = open_store(a, path);
    const std::vector<cv::AggregateTable> tables = v.aggregates().all(o);
    v.close();
    if (a.has("--json")) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& t : tables) out.push_back(table_json(t));
        std::cout << nlohmann::json{{"tables", out}}.dump(2) << "\n";
        return kExitOk;
    }
    bool first = true;
    for (const auto& t : tables) {
        if (!first) std::cout << "\n";
        first = false;
        print_table(t);
    }
    return kExitOk;
}

// Names, references and justifications are sealed and stay out of listings.
nlohmann::json disclosure_json(const cv::Disclosure& d) {
    auto opt_text = [](const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); };
    auto opt_time = [](std::int64_t t) { return t > 0 ? nlohmann::json(t) : nlohmann::json(nullptr); };
    return {{"id", d.id},
            {"subject", d.subject},
            {"recipient", d.recipient},
            {"rule", d.rule},
            {"kind", d.kind},
            {"purpose", opt_text(d.purpose)},
            {"categories", d.categories},
            {"fields", d.fields},
            {"legal_basis", cv::legal_basis_name(d.legal_basis)},
            {"case_id", opt_text(d.case_id)},
            {"subprocessor", opt_text(d.subprocessor)},
            {"process", d.process ? nlohmann::json(d.process->kind) : nlohmann::json(nullptr)},
            {"hold_id", opt_text(d.hold_id)},
            {"at", d.at},
            {"notice", cv::notice_state_name(d.notice)},
            {"notice_at", opt_time(d.notice_at)},
            {"nondisclosure", d.nondisclosure_until != 0},
            {"nondisclosure_until", opt_time(d.nondisclosure_until)},
            {"lifted_at", opt_time(d.lifted_at)}};
}

int cmd_disclosure(const Args& a) {
    const std::string sub = a.positional.size() >= 2 ? a.positional[1] : "";
    if (sub != "list") {
        throw UsageError{sub.empty() ? "usage: casevault disclosure list PATH [SUBJECT] [--json]"
                                     : "unknown disclosure command '" + sub + "' (list)"};
    }
    allow_only(a, "disclosure list", {"--key-file", "--passphrase-file", "--json"});
    if (a.positional.size() != 3 && a.positional.size() != 4) {
        throw UsageError{"usage: casevault disclosure list PATH [SUBJECT] [--json]"};
    }
    cv::Vault v = open_store(a, a.positional[2]);
    const auto list = v.disclosures().list(a.positional.size() == 4 ? a.positional[3] : "");
    v.close();
    if (a.has("--json")) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& d : list) out.push_back(disclosure_json(d));
        std::cout << out.dump(2) << "\n";
        return kExitOk;
    }
    for (const auto& d : list) {
        std::cout << d.id << "  " << utc_time(d.at) << "  " << d.subject << "  to " << d.recipient << "  rule "
                  << d.rule << " (" << d.kind << (d.process ? ", " + d.process->kind : std::string()) << ")  "
                  << joined(d.categories) << (d.fields.empty() ? "" : " [" + joined(d.fields) + "]")
                  << "  notice " << cv::notice_state_name(d.notice) << "\n";
    }
    return kExitOk;
}

nlohmann::json subprocessor_json(const cv::Subprocessor& s) {
    return {{"name", s.name},
            {"purpose", s.purpose},
            {"categories", s.categories},
            {"location", s.location},
            {"added_at", s.added_at},
            {"retired_at", s.retired_at ? nlohmann::json(s.retired_at) : nlohmann::json(nullptr)}};
}

void print_subprocessor(const cv::Subprocessor& s, bool json) {
    if (json) {
        std::cout << subprocessor_json(s).dump(2) << "\n";
        return;
    }
    std::cout << s.name << "  " << s.purpose << "  " << joined(s.categories) << "  " << s.location << "  added "
              << utc_time(s.added_at) << (s.retired_at ? "  (retired " + utc_time(s.retired_at) + ")" : std::string())
              << "\n";
}

// "a,b, c" -> {"a", "b", "c"}
std::vector<std::string> comma_list(const std::string& text) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (from <= text.size()) {
        const std::size_t to = std::min(text.find(',', from), text.size());
        std::string item = text.substr(from, to - from);
        const auto b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
        if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
        from = to + 1;
    }
    return out;
}

int cmd_subprocessor(const Args& a) {
    const std::string sub = a.positional.size() >= 2 ? a.positional[1] : "";
    const bool json = a.has("--json");
    if (sub == "list") {
        allow_only(a, "subprocessor list", {"--key-file", "--passphrase-file", "--all", "--json"});
        if (a.positional.size() != 3) throw UsageError{"usage: casevault subprocessor list PATH [--all]"};
        cv::Vault v = open_store(a, a.positional[2]);
        const auto list = v.disclosures().subprocessors(a.has("--all"));
        v.close();
        if (json) {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& s : list) out.push_back(subprocessor_json(s));
            std::cout << out.dump(2) << "\n";
            return kExitOk;
        }
        for (const auto& s : list) print_subprocessor(s, false);
        return kExitOk;
    }
    if (sub == "add") {
        allow_only(a, "subprocessor add",
                   {"--key-file", "--passphrase-file", "--purpose", "--categories", "--location", "--json"});
        const char* usage = "usage: casevault subprocessor add PATH NAME --purpose P --categories C,... --location L";
        if (a.positional.size() != 4) throw UsageError{usage};
        if (!a.has("--purpose") || !a.has("--categories") || !a.has("--location")) {
            throw UsageError{std::string("subprocessor add needs --purpose, --categories and --location (") + usage +
                             ")"};
        }
        cv::Subprocessor s;
        s.name = a.positional[3];
        s.purpose = *a.get("--purpose");
        s.categories = comma_list(*a.get("--categories"));
        s.location = *a.get("--location");
        if (s.categories.empty()) throw UsageError{"--categories needs at least one category"};
        cv::Vault v = open_store(a, a.positional[2]);
        const cv::Subprocessor added = v.disclosures().add_subprocessor(s);
        v.close();
        print_subprocessor(added, json);
        return kExitOk;
    }
    if (sub == "retire") {
        allow_only(a, "subprocessor retire", {"--key-file", "--passphrase-file", "--json"});
        if (a.positional.size() != 4) throw UsageError{"usage: casevault subprocessor retire PATH NAME"};
        cv::Vault v = open_store(a, a.positional[2]);
        const cv::Subprocessor retired = v.disclosures().retire_subprocessor(a.positional[3]);
        v.close();
        print_subprocessor(retired, json);
        return kExitOk;
    }
    throw UsageError{sub.empty() ? "usage: casevault subprocessor list|add|retire ..."
                                 : "unknown subprocessor command '" + sub + "' (list, add or retire)"};
}

int cmd_version(const Args& a) {
    allow_only(a, "version", {});
    if (a.positional.size() != 1) throw UsageError{"'version' takes no arguments"};
    const cv::EngineVersions e = cv::engine_versions();
    std::cout << "casevault " << cv::version() << "\n"
              << "sqlcipher " << e.sqlcipher << " (sqlite " << e.sqlite << ")\n"
              << "libsodium " << e.sodium << "\n";
    return kExitOk;
}

int run(int argc, char** argv) {
    const Args a = parse_args(argc, argv);
    if (a.has("--help") || a.has("-h") || (!a.positional.empty() && a.positional[0] == "help")) {
        std::cout << kUsage;
        return kExitOk;
    }
    if (a.positional.empty()) throw UsageError{"no command given"};
    const std::string& command = a.positional[0];
    if (command == "init") return cmd_init(a);
    if (command == "info") return cmd_info(a);
    if (command == "audit") return cmd_audit(a);
    if (command == "check") return cmd_check(a);
    if (command == "rekey") return cmd_rekey(a);
    if (command == "policy") return cmd_policy(a);
    if (command == "principal") return cmd_principal(a);
    if (command == "case") return cmd_case(a);
    if (command == "can") return cmd_can(a);
    if (command == "sweep") return cmd_sweep(a);
    if (command == "receipts") return cmd_receipts(a);
    if (command == "backup") return cmd_backup(a);
    if (command == "restore") return cmd_backup_restore(a, 1);  // the same as 'backup restore'
    if (command == "hold" || command == "holds") return cmd_hold(a);
    if (command == "export") return cmd_export(a);
    if (command == "report") return cmd_report(a);
    if (command == "disclosure" || command == "disclosures") return cmd_disclosure(a);
    if (command == "subprocessor" || command == "subprocessors") return cmd_subprocessor(a);
    if (command == "version") return cmd_version(a);
    throw UsageError{"unknown command '" + command + "'"};
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const UsageError& e) {
        std::cerr << "casevault: " << e.message << "\n(see 'casevault --help')\n";
        return kExitUsage;
    } catch (const cv::Error& e) {
        std::cerr << "casevault: error: " << e.what() << " (" << cv::errc_name(e.code()) << ")\n";
        return kExitError;
    } catch (const std::exception& e) {
        std::cerr << "casevault: error: " << e.what() << "\n";
        return kExitError;
    }
}
