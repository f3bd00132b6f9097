// SPDX-License-Identifier: MIT
#pragma once

#include <ctime>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lbib/config/config.hpp"
#include "lbib/output/format.hpp"

/// `lbib doctor`: whether a deployment is safe and complete, one finding a line, each with
/// what to do. The checks read the system through `Surroundings`, so tests can replace it.
namespace lbib::deploy {

/// How a finding stands.
enum class Status { ok, warning, problem };

/// One line of the doctor's answer.
struct Finding {
  std::string check;  // a stable key for monitoring ("register.mode", "mail.tls", ...)
  Status status = Status::ok;
  std::string message;  // what was found, in the language of the messages
  std::string advice;   // what to do (empty when ok)
};

/// What the doctor looks at besides the configuration. `system()` fills it from the process.
struct Surroundings {
  std::filesystem::path register_path;
  config::Getenv getenv;
  std::filesystem::path sysfs = "/sys";  // $LBIB_SYSFS in tests
  std::filesystem::path etc = "/etc";    // cron.d, systemd's enabled timers, msmtprc
  std::filesystem::path catalogue_dir;   // lbib's compiled messages
  std::time_t now = 0;
  unsigned uid = 0;
  /// The user's crontab (`crontab -l`), or nullopt when there is none.
  std::function<std::optional<std::string>()> crontab;
  /// Whether the system has the locale `name` (e.g. "sv_SE.UTF-8") generated.
  std::function<bool(const std::string& name)> locale_exists;
};

/// The real surroundings of this process for the register at `register_path`.
Surroundings system(const std::filesystem::path& register_path, const config::Getenv& getenv);

/// Every check, in order: register, filesystem, mail, jobs, configuration, locale.
/// `config_error` is the message of a configuration that failed to load (`config` is then
/// the built-in defaults).
std::vector<Finding> examine(const config::Config& config,
                             const std::optional<std::string>& config_error,
                             const Surroundings& surroundings);

/// 0 when every finding is ok, 1 when the worst is a warning, 2 when there is a problem.
int exit_status(const std::vector<Finding>& findings);

/// The findings as lines for people: "ok       ...", "warning  ... advice".
std::string render(const std::vector<Finding>& findings);

/// The findings as a table (check, status, message, advice) for --format json/csv.
output::Table findings_table(const std::vector<Finding>& findings);

/// The file whose modification time says when `lbib remind --mail` last ran for the register
/// at `register_path` (beside it: REGISTER.last-remind).
std::filesystem::path remind_stamp(const std::filesystem::path& register_path);

/// Records that the reminders ran now (touches remind_stamp); failures are ignored, since a
/// missing stamp only makes `lbib doctor` warn.
void record_remind_run(const std::filesystem::path& register_path);

}  // namespace lbib::deploy
