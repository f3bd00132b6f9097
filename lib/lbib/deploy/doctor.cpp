// SPDX-License-Identifier: MIT
#include "lbib/deploy/doctor.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <fmt/format.h>
#include <locale.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string_view>

#include "lbib/db/database.hpp"
#include "lbib/deploy/filesystem.hpp"
#include "lbib/text/i18n.hpp"

namespace lbib::deploy {
namespace fs = std::filesystem;
using i18n::tr;
using i18n::tr_format;

namespace {

// A WAL this large means checkpoints do not get through (a reader that never ends).
constexpr std::uintmax_t wal_warning_bytes = 64U * 1024U * 1024U;
constexpr std::string_view default_library_email = "levande.bibliotek@example.se";

class Findings {
 public:
  void ok(std::string check, std::string message) {
    m_all.push_back({std::move(check), Status::ok, std::move(message), {}});
  }
  void warn(std::string check, std::string message, std::string advice) {
    m_all.push_back({std::move(check), Status::warning, std::move(message), std::move(advice)});
  }
  void problem(std::string check, std::string message, std::string advice) {
    m_all.push_back({std::move(check), Status::problem, std::move(message), std::move(advice)});
  }
  std::vector<Finding> take() { return std::move(m_all); }

 private:
  std::vector<Finding> m_all;
};

std::string size_text(std::uintmax_t bytes) {
  if (bytes >= 1024U * 1024U) {
    return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  }
  return fmt::format("{} KiB", (bytes + 1023U) / 1024U);
}

std::string day_text(std::time_t t) {
  std::tm tm{};
  ::localtime_r(&t, &tm);
  std::array<char, 32> buf{};
  std::strftime(buf.data(), buf.size(), "%Y-%m-%d %H:%M", &tm);
  return buf.data();
}

std::optional<std::time_t> mtime_of(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return std::nullopt;
  }
  return st.st_mtime;
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// --- the register -------------------------------------------------------------------------

// Mode, owner and symbolic link; false when the register cannot be examined further.
bool check_register_file(const fs::path& path, const config::Config& c, const Surroundings& s,
                         Findings& f) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    f.problem("register.exists", tr_format("no register at {}", path.string()),
              tr("create one with 'lbib init', or name it with --db, $LBIB_DB or "
                 "database.path"));
    return false;
  }
  if (S_ISLNK(st.st_mode)) {
    f.problem("register.symlink", tr_format("{} is a symbolic link", path.string()),
              tr("point --db, $LBIB_DB or database.path at the real file"));
    return false;
  }
  const unsigned mode = st.st_mode & 07777U;
  const unsigned forbidden = c.shared_group ? 0007U : 0077U;
  if ((mode & forbidden) != 0) {
    f.problem("register.mode",
              tr_format("register {} can be read or written by other users (mode {:04o})",
                        path.string(), mode),
              tr_format("run 'chmod {} {}'", c.shared_group ? "660" : "600", path.string()));
  } else {
    f.ok("register.mode", tr_format("register {}: mode {:04o}", path.string(), mode));
  }
  if (st.st_uid != s.uid) {
    f.problem("register.owner",
              tr_format("the register belongs to user id {}, not to you ({})", st.st_uid, s.uid),
              tr("run lbib as the register's owner, or give it to the owner with chown"));
  } else {
    f.ok("register.owner", tr("the register belongs to you"));
  }
  return true;
}

void check_register_content(const fs::path& path, Findings& f) {
  try {
    SQLite::Database sql(path.string(), SQLite::OPEN_READONLY);
    if (sql.execAndGet("PRAGMA application_id").getInt() != db::application_id) {
      f.problem("register.schema", tr_format("{} is not an lbib register", path.string()),
                tr("name the right file with --db"));
      return;
    }
    const int version = sql.execAndGet("PRAGMA user_version").getInt();
    const int latest = db::latest_schema_version();
    if (version > latest) {
      f.problem("register.schema",
                tr_format("schema version {} is newer than this lbib knows ({})", version, latest),
                tr("upgrade lbib"));
    } else if (version < latest) {
      f.warn("register.schema",
             tr_format("schema version {}; this lbib writes {}", version, latest),
             tr("the next command that opens the register migrates it: take a backup first"));
    } else {
      f.ok("register.schema", tr_format("schema version {}", version));
    }
    SQLite::Statement check(sql, "PRAGMA integrity_check");
    std::string first;
    if (check.executeStep()) {
      first = check.getColumn(0).getString();
    }
    if (first == "ok") {
      f.ok("register.integrity", tr("integrity check passed"));
    } else {
      f.problem("register.integrity", tr("the integrity check found damage"),
                tr("run 'lbib check' and restore the newest backup"));
    }
  } catch (const SQLite::Exception&) {
    f.problem("register.integrity", tr_format("cannot read {} as a register", path.string()),
              tr("run 'lbib check' and restore the newest backup"));
  }
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  f.ok("register.size", tr_format("size {}", ec ? std::string("?") : size_text(size)));
  const auto wal = fs::file_size(fs::path(path.string() + "-wal"), ec);
  if (!ec && wal > wal_warning_bytes) {
    f.warn("register.wal", tr_format("the write-ahead log is large ({})", size_text(wal)),
           tr("a command that never ends keeps it from being checkpointed: stop it"));
  } else {
    f.ok("register.wal", tr_format("write-ahead log {}", ec ? tr("absent") : size_text(wal)));
  }
}

// --- the filesystem -----------------------------------------------------------------------

void check_filesystem(const fs::path& path, const Surroundings& s, Findings& f) {
  const auto type = filesystem_type(path);
  if (!type) {
    f.warn("filesystem.local", tr("cannot tell the filesystem under the register"),
           tr("make sure it is a local disk"));
  } else if (const auto name = network_filesystem(*type)) {
    f.problem("filesystem.local",
              tr_format("the register is on a network filesystem ({}); SQLite's locking is "
                        "not safe there",
                        *name),
              tr("move the register to a local disk and share access through the server"));
  } else {
    f.ok("filesystem.local", tr_format("local filesystem (type {:#x})", *type));
  }
  switch (encryption_of(path, s.sysfs)) {
    case Encryption::dm_crypt:
      f.ok("filesystem.encryption", tr("the disk is encrypted (dm-crypt/LUKS)"));
      break;
    case Encryption::fscrypt:
      f.ok("filesystem.encryption", tr("the folder is encrypted (fscrypt)"));
      break;
    case Encryption::none_found:
      f.warn("filesystem.encryption",
             tr("no encryption at rest found (dm-crypt/LUKS or fscrypt) under the register"),
             tr("the register holds special-category data: keep it on an encrypted disk"));
      break;
  }
}

// --- mail ---------------------------------------------------------------------------------

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) {
    out.push_back(w);
  }
  return out;
}

std::optional<fs::path> find_program(const std::string& name, const config::Getenv& getenv) {
  const auto executable = [](const fs::path& p) { return ::access(p.c_str(), X_OK) == 0; };
  if (name.find('/') != std::string::npos) {
    return executable(name) ? std::optional<fs::path>(name) : std::nullopt;
  }
  std::istringstream path(getenv("PATH").value_or("/usr/local/bin:/usr/bin:/bin"));
  for (std::string dir; std::getline(path, dir, ':');) {
    if (!dir.empty() && executable(fs::path(dir) / name)) {
      return fs::path(dir) / name;
    }
  }
  return std::nullopt;
}

bool local_host(std::string_view host) {
  return host == "localhost" || host == "127.0.0.1" || host == "::1" || host.starts_with("127.");
}

// msmtp's configuration: the accounts whose host is remote and tls is not on.
std::vector<std::string> accounts_without_tls(const std::string& text) {
  struct Account {
    std::string name, host = "localhost";
    bool tls = false;
  };
  Account defaults{"defaults"};
  std::vector<Account> accounts;
  Account* current = &defaults;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    auto w = words(line);
    if (w.empty() || w[0].starts_with('#')) {
      continue;
    }
    if (w[0] == "defaults") {
      current = &defaults;
    } else if (w[0] == "account" && w.size() >= 2) {
      Account a = defaults;
      if (w.size() >= 4 && w[2] == ":") {  // account NAME : PARENT
        for (const auto& p : accounts) {
          if (p.name == w[3]) {
            a = p;
          }
        }
      }
      a.name = w[1];
      accounts.push_back(a);
      current = &accounts.back();
    } else if (w[0] == "host" && w.size() >= 2) {
      current->host = w[1];
    } else if (w[0] == "tls") {
      current->tls = w.size() < 2 || w[1] == "on";
    }
  }
  std::vector<std::string> bad;
  for (const auto& a : accounts) {
    if (!a.tls && !local_host(a.host)) {
      bad.push_back(a.name);
    }
  }
  return bad;
}

// The configuration file msmtp reads for `sendmail` (its --file/-C argument, the user's,
// else the system's).
fs::path msmtp_file(const std::vector<std::string>& sendmail, const Surroundings& s) {
  for (std::size_t i = 1; i < sendmail.size(); ++i) {
    if (sendmail[i].starts_with("--file=")) {
      return sendmail[i].substr(7);
    }
    if (sendmail[i] == "-C" && i + 1 < sendmail.size()) {
      return sendmail[i + 1];
    }
  }
  const fs::path home = s.getenv("HOME").value_or("");
  const fs::path xdg = s.getenv("XDG_CONFIG_HOME").value_or((home / ".config").string());
  std::error_code ec;
  for (const fs::path& p : {home / ".msmtprc", xdg / "msmtp" / "config"}) {
    if (!home.empty() && fs::exists(p, ec)) {
      return p;
    }
  }
  return s.etc / "msmtprc";
}

void check_msmtp(const std::vector<std::string>& sendmail, const Surroundings& s, Findings& f) {
  const fs::path file = msmtp_file(sendmail, s);
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    f.problem("mail.msmtp", tr_format("msmtp has no configuration ({} is missing)", file.string()),
              tr("write one with the library's mail server (docs/deploy.md)"));
    return;
  }
  const std::string text = read_all(file);
  const bool has_password = text.find("password") != std::string::npos;
  if ((st.st_mode & 0077U) != 0 && (st.st_uid == s.uid || has_password)) {
    f.problem("mail.msmtp",
              tr_format("msmtp's configuration {} can be read by other users (mode {:04o})",
                        file.string(), st.st_mode & 07777U),
              tr_format("run 'chmod 600 {}'", file.string()));
  } else {
    f.ok("mail.msmtp", tr_format("msmtp's configuration {} is private", file.string()));
  }
  const auto bad = accounts_without_tls(text);
  if (!bad.empty()) {
    f.problem("mail.tls",
              tr_format("msmtp sends to a remote server without TLS (account {})",
                        fmt::format("{}", fmt::join(bad, ", "))),
              tr_format("add 'tls on' to {}", file.string()));
  } else {
    f.ok("mail.tls", tr("msmtp uses TLS for every remote server"));
  }
}

void check_mail(const config::Config& c, const Surroundings& s, Findings& f) {
  const auto sendmail = words(s.getenv("SENDMAIL").value_or("/usr/sbin/sendmail"));
  const std::string command = sendmail.empty() ? "/usr/sbin/sendmail" : sendmail[0];
  const auto program = find_program(command, s.getenv);
  if (!program) {
    f.problem("mail.sendmail", tr_format("no sendmail command {}", command),
              tr("install msmtp-mta (or another mail transport agent), or set SENDMAIL"));
  } else {
    f.ok("mail.sendmail", tr_format("sendmail command {}", program->string()));
    std::error_code ec;
    const auto real = fs::canonical(*program, ec);
    if (!ec && real.filename() == "msmtp") {
      check_msmtp(sendmail, s, f);
    }
  }
  if (c.library_email.empty() || c.library_email == default_library_email) {
    f.problem("mail.library", tr("the library's own address is not set"),
              tr("set library.email in the configuration"));
  } else {
    f.ok("mail.library", tr_format("the library's address is {}", c.library_email));
  }
  if (c.contact_persons.empty()) {
    f.problem("mail.contacts", tr("no contact persons are set; reminders reach nobody"),
              tr("set library.contact_persons in the configuration"));
  } else {
    f.ok("mail.contacts", tr_format("{} contact person(s)", c.contact_persons.size()));
  }
}

// --- jobs ---------------------------------------------------------------------------------

// Where the reminder job is installed: an enabled systemd timer, or a cron line.
std::optional<std::string> reminder_job(const Surroundings& s) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(s.etc / "systemd/system/timers.target.wants", ec)) {
    if (e.path().filename().string().starts_with("lbib-remind")) {
      return e.path().filename().string();
    }
  }
  if (const auto tab = s.crontab ? s.crontab() : std::nullopt;
      tab && tab->find("cron-remind") != std::string::npos) {
    return std::string("crontab");
  }
  for (const auto& e : fs::directory_iterator(s.etc / "cron.d", ec)) {
    if (read_all(e.path()).find("cron-remind") != std::string::npos) {
      return e.path().string();
    }
  }
  return std::nullopt;
}

void check_reminders(const config::Config& c, const Surroundings& s, Findings& f) {
  const auto job = reminder_job(s);
  const auto last = mtime_of(remind_stamp(s.register_path));
  const auto limit = static_cast<std::time_t>(c.jobs.remind_max_age_days) * 86400;
  if (!job) {
    f.problem("jobs.remind", tr("no reminder job is installed"),
              tr("enable the timer: systemctl enable --now lbib-remind@USER.timer (or add the "
                 "cron line in docs/deploy.md)"));
  } else if (!last) {
    f.warn("jobs.remind", tr_format("the reminder job ({}) has not run yet", *job),
           tr("wait for its first run, or run /usr/libexec/lbib/cron-remind.sh once"));
  } else if (s.now - *last > limit) {
    f.problem("jobs.remind", tr_format("the reminders last ran {} ({})", day_text(*last), *job),
              tr("see why the job fails: journalctl -u 'lbib-remind@*', or cron's mail"));
  } else {
    f.ok("jobs.remind", tr_format("the reminders last ran {} ({})", day_text(*last), *job));
  }
}

void check_backups(const config::Config& c, const Surroundings& s, Findings& f) {
  if (!c.jobs.backup_dir) {
    f.problem("jobs.backup", tr("no backup folder is configured"),
              tr("set jobs.backup_dir and enable lbib-backup@USER.timer"));
    return;
  }
  std::error_code ec;
  std::optional<std::pair<std::time_t, fs::path>> newest;
  std::optional<fs::path> plain;
  for (const auto& e : fs::directory_iterator(*c.jobs.backup_dir, ec)) {
    const std::string name = e.path().filename().string();
    if (!name.starts_with("lbib-")) {
      continue;
    }
    if (name.ends_with(".sqlite")) {
      plain = e.path();
    }
    const auto t = mtime_of(e.path());
    if (t && (name.ends_with(".sqlite.age") || name.ends_with(".sqlite")) &&
        (!newest || *t > newest->first)) {
      newest = std::pair{*t, e.path()};
    }
  }
  const auto limit = static_cast<std::time_t>(c.jobs.backup_max_age_days) * 86400;
  if (!newest) {
    f.problem("jobs.backup", tr_format("no backup in {}", c.jobs.backup_dir->string()),
              tr("enable the timer: systemctl enable --now lbib-backup@USER.timer"));
  } else if (s.now - newest->first > limit) {
    f.problem("jobs.backup",
              tr_format("the newest backup is from {}, older than {} days", day_text(newest->first),
                        c.jobs.backup_max_age_days),
              tr("see why the backup job fails: journalctl -u 'lbib-backup@*'"));
  } else {
    f.ok("jobs.backup", tr_format("the newest backup is from {}", day_text(newest->first)));
  }
  if (plain) {
    f.problem("jobs.encrypted",
              tr_format("an unencrypted backup lies in the backup folder ({})",
                        plain->filename().string()),
              tr("delete it; scripts/backup.sh writes only age-encrypted .age files"));
  } else if (newest) {
    f.ok("jobs.encrypted", tr("the backups are encrypted (age)"));
  }
}

// --- configuration ------------------------------------------------------------------------

void check_configuration(const config::Config& c, const std::optional<std::string>& error,
                         Findings& f) {
  if (error) {
    f.problem("config.valid", *error, tr("correct the configuration file"));
    return;
  }
  if (c.source.empty()) {
    f.warn(
        "config.valid", tr("no configuration file; the built-in defaults are used"),
        tr("copy /usr/share/doc/lbib/examples/lbib.toml to /etc/lbib/config.toml and fill it in"));
  } else {
    f.ok("config.valid", tr_format("configuration {} is valid", c.source.string()));
  }
  if (c.consent_text_version.empty() || c.consent_texts.size() < 3) {
    f.problem("config.consent", tr("the consent texts or their version are missing"),
              tr("set consent.text_version and consent.texts"));
  } else {
    f.ok("config.consent", tr_format("consent texts of version {}", c.consent_text_version));
  }
  std::vector<std::string> missing;
  for (const auto& [key, value] :
       {std::pair<const char*, const std::string*>{"gdpr.controller", &c.gdpr.controller},
        {"gdpr.contact", &c.gdpr.contact},
        {"gdpr.dpo", &c.gdpr.dpo},
        {"gdpr.legal_basis", &c.gdpr.legal_basis}}) {
    if (value->empty()) {
      missing.emplace_back(key);
    }
  }
  if (c.gdpr.purposes.empty()) {
    missing.emplace_back("gdpr.purposes");
  }
  if (!missing.empty()) {
    f.problem("config.record",
              tr_format("the record of processing (art. 30) lacks {}",
                        fmt::format("{}", fmt::join(missing, ", "))),
              tr("fill in the [gdpr] section of the configuration"));
  } else {
    f.ok("config.record", tr("the record of processing (art. 30) is complete"));
  }
}

// --- locale -------------------------------------------------------------------------------

void check_locale(const Surroundings& s, Findings& f) {
  std::error_code ec;
  if (fs::exists(s.catalogue_dir / "sv" / "LC_MESSAGES" / "lbib.mo", ec)) {
    f.ok("locale.messages", tr_format("Swedish messages in {}", s.catalogue_dir.string()));
  } else {
    f.problem("locale.messages", tr_format("no Swedish messages in {}", s.catalogue_dir.string()),
              tr("reinstall lbib, or set LBIB_LOCALEDIR"));
  }
  std::string wanted;
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    if (auto v = s.getenv(name); v && !v->empty()) {
      wanted = *v;
      break;
    }
  }
  // Only the locale the environment asks for: under C.UTF-8 lbib's Swedish messages work
  // (i18n::use_language), and nothing else needs sv_SE.UTF-8.
  if (wanted.empty() || wanted == "C" || wanted == "POSIX" || wanted.starts_with("C.")) {
    f.ok("locale.system", tr_format("system locale {}", wanted.empty() ? "C" : wanted));
  } else if (s.locale_exists && s.locale_exists(wanted)) {
    f.ok("locale.system", tr_format("system locale {} exists", wanted));
  } else {
    f.warn("locale.system", tr_format("the system locale {} is not installed", wanted),
           tr_format("generate it: apt-get install locales; sed -i 's/^# *{0}/{0}/' "
                     "/etc/locale.gen; locale-gen",
                     wanted));
  }
}

}  // namespace

Surroundings system(const fs::path& register_path, const config::Getenv& getenv) {
  Surroundings s;
  s.register_path = register_path;
  s.getenv = getenv;
  if (auto sysfs = getenv("LBIB_SYSFS"); sysfs && !sysfs->empty()) {
    s.sysfs = *sysfs;
  }
  s.catalogue_dir = i18n::catalogue_dir();
  s.now = std::time(nullptr);
  s.uid = ::getuid();
  s.crontab = [getenv]() -> std::optional<std::string> {
    if (!find_program("crontab", getenv)) {
      return std::nullopt;
    }
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen("crontab -l 2>/dev/null", "r"), ::pclose);
    if (!pipe) {
      return std::nullopt;
    }
    std::string out;
    std::array<char, 4096> buf{};
    while (const auto n = std::fread(buf.data(), 1, buf.size(), pipe.get())) {
      out.append(buf.data(), n);
    }
    return out;
  };
  s.locale_exists = [](const std::string& name) {
    const locale_t l = ::newlocale(LC_ALL_MASK, name.c_str(), nullptr);
    if (l == nullptr) {
      return false;
    }
    ::freelocale(l);
    return true;
  };
  return s;
}

std::vector<Finding> examine(const config::Config& config,
                             const std::optional<std::string>& config_error,
                             const Surroundings& s) {
  Findings f;
  if (check_register_file(s.register_path, config, s, f)) {
    check_register_content(s.register_path, f);
  }
  check_filesystem(s.register_path, s, f);
  check_mail(config, s, f);
  check_reminders(config, s, f);
  check_backups(config, s, f);
  check_configuration(config, config_error, f);
  check_locale(s, f);
  return f.take();
}

int exit_status(const std::vector<Finding>& findings) {
  int worst = 0;
  for (const auto& f : findings) {
    worst = std::max(worst, f.status == Status::problem ? 2 : f.status == Status::warning ? 1 : 0);
  }
  return worst;
}

std::string render(const std::vector<Finding>& findings) {
  const auto label = [](Status st) -> std::string {
    switch (st) {
      case Status::ok:
        return tr("ok");
      case Status::warning:
        return tr("warning");
      case Status::problem:
        return tr("problem");
    }
    return {};
  };
  std::size_t width = 0;
  for (const Status st : {Status::ok, Status::warning, Status::problem}) {
    width = std::max(width, label(st).size());
  }
  std::string out;
  for (const auto& f : findings) {
    std::string line = fmt::format("{:<{}}  {}", label(f.status), width, f.message);
    if (!f.advice.empty()) {
      line += fmt::format(": {}", f.advice);
    }
    out += line + '\n';
  }
  return out;
}

output::Table findings_table(const std::vector<Finding>& findings) {
  output::Table t{{"check", "status", "message", "advice"}, {}};
  for (const auto& f : findings) {
    const char* status = f.status == Status::ok        ? "ok"
                         : f.status == Status::warning ? "warning"
                                                       : "problem";
    t.rows.push_back({f.check, std::string(status), f.message, f.advice});
  }
  return t;
}

fs::path remind_stamp(const fs::path& register_path) {
  return fs::path(register_path.string() + ".last-remind");
}

void record_remind_run(const fs::path& register_path) {
  std::ofstream touch(remind_stamp(register_path), std::ios::trunc);
  touch << std::time(nullptr) << '\n';
}

}  // namespace lbib::deploy
