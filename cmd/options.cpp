// SPDX-License-Identifier: MIT
#include "options.hpp"

#include <fmt/ranges.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <ostream>
#include <string_view>
#include <utility>

#include "lbib/audit/audit.hpp"
#include "lbib/io/files.hpp"
#include "lbib/text/i18n.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::cmd {

namespace {

// The validators' names, in the order of Names: CLI11 keeps a validator's name, so an option
// can be asked for it.
constexpr std::array<std::pair<Names, std::string_view>, 6> names_of{{
    {Names::expert, "expert-id"},
    {Names::borrower, "borrower-id"},
    {Names::request, "request-id"},
    {Names::subject_request, "subject-request-id"},
    {Names::expert_or_borrower, "expert-or-borrower-id"},
    {Names::any, "id"},
}};

CLI::Validator make_id_check(std::string_view name) {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        std::int64_t value = 0;
        const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
        if (s.empty() || ec != std::errc{} || ptr != s.data() + s.size() || value < 1) {
          return i18n::tr_format("'{}' is not an id (a whole number from 1)",
                                 text::printable(s.substr(0, 40)));
        }
        return {};
      },
      "ID", std::string(name));
}

}  // namespace

const CLI::Validator& id_check(Names names) {
  static const auto checks = [] {
    std::array<CLI::Validator, names_of.size()> all;
    for (std::size_t i = 0; i < names_of.size(); ++i) {
      all[i] = make_id_check(names_of[i].second);
    }
    return all;
  }();
  // names_of lists the kinds in the enumeration's order.
  return checks.at(static_cast<std::size_t>(names));
}

const CLI::Validator& number_check() {
  static const CLI::Validator check(
      [](std::string& s) -> std::string {
        const std::string_view digits =
            !s.empty() && s[0] == '-' ? std::string_view(s).substr(1) : std::string_view(s);
        const bool plain = !digits.empty() && digits.size() <= 9 &&
                           digits.find_first_not_of("0123456789") == std::string_view::npos;
        if (!digits.empty() && digits.size() > 9 &&
            digits.find_first_not_of("0123456789") == std::string_view::npos) {
          return i18n::tr_format("'{}' is too large a number (at most 999999999)",
                                 text::printable(s.substr(0, 40)));
        }
        if (!plain) {
          return i18n::tr_format("'{}' is not a whole number (decimal digits, like 12)",
                                 text::printable(s.substr(0, 40)));
        }
        return {};
      },
      "N", "number");
  return check;
}

std::optional<Names> id_names(CLI::Option& option) {
  for (const auto& [names, name] : names_of) {
    try {
      option.get_validator(std::string(name));
      return names;
    } catch (const CLI::OptionNotFound&) {
      // not this kind
    }
  }
  return std::nullopt;
}

void add_mail_options(CLI::App& command, MailOptions& o) {
  auto* out = command.add_option(
      "--out", o.out,
      "Compose: the folder to write the messages to (one .eml per batch, with a .json manifest)");
  auto* record =
      command.add_option("--record", o.record, "Record: a composed .eml that sendmail accepted");
  out->excludes(record);
  command.add_flag("--preview", o.preview,
                   "With --out: also show each message as plain text on stderr");
  command.add_flag("--check", o.check,
                   "With --record: only check that the message could be recorded now, before it "
                   "is sent; nothing is changed");
  command.add_option("--date", o.date, "With --record: the day it was sent (default today)");
}

namespace {

// The call list of a composed mailing: whom to telephone and what to tell them (the mail's own
// subject and text), and how to record the calls.
std::string call_list_text(const mailing::Composed& c, const mailing::Mailing& m,
                           std::string_view language) {
  std::string ids;
  std::string out = i18n::tr_format_in(language, "Call list: request {}", m.request()) + "\n";
  std::string calls;
  std::string letters;
  for (const auto& call : c.calls) {
    if (call.phone.empty() && !call.postal_address.empty()) {
      letters += fmt::format("{}\t{}\t{}\n", call.id, call.name, call.postal_address);
    } else {
      calls += fmt::format("{}\t{}\t{}\n", call.id, call.name, call.phone);
    }
    ids += (ids.empty() ? "" : ",") + std::to_string(call.id);
  }
  if (!calls.empty()) {
    out += "\n" + calls;
  }
  // Those without a telephone either, apart: they are written a letter with the same text.
  if (!letters.empty()) {
    out += "\n" + i18n::tr_in(language, i18n::N_("By letter (no e-mail, no telephone):")) + "\n\n" +
           letters;
  }
  out += "\n" +
         i18n::tr_format_in(language,
                            "After calling or writing, record it: lbib dispatch {} --called {}",
                            m.request(), ids) +
         "\n\n" + i18n::tr_in(language, i18n::N_("What to tell them:")) + "\n\n" + c.subject +
         "\n\n" + c.body;
  if (!out.ends_with('\n')) {
    out += '\n';
  }
  return out;
}

}  // namespace

void run_mailing(const MailOptions& o, const mailing::Mailing& m, Context& ctx) {
  auto db = ctx.open_db();
  if (o.record) {
    const auto sent_on = date_or(o.date, "date", text::today());
    db::WriteTransaction tx(db);
    const auto r = mailing::record(tx, m, *o.record, sent_on, ctx.actor());
    if (o.check) {
      if (r.already) {
        throw make_error(ExitCode::data,
                         "{} is recorded as sent already; sending it again would "
                         "mail its recipients twice",
                         *o.record);
      }
      return;  // it could be recorded now; the transaction rolls back
    }
    tx.commit();
    if (r.already) {
      ctx.out() << i18n::tr("already recorded; nothing changed") << '\n';
      return;
    }
    ctx.out() << m.recorded_text(r, i18n::language()) << '\n';
    if (!r.refused.empty()) {
      ctx.err() << "lbib: warning: "
                << i18n::tr_format(
                       "not recorded for {}: erased, or without mailing consent in force, since "
                       "the message was composed",
                       fmt::format("{}", fmt::join(r.refused, ", ")))
                << '\n';
    }
    return;
  }
  if (!o.out) {
    throw make_error(ExitCode::usage,
                     "{}: give --out DIR to compose, or --record FILE to record a sent message",
                     m.kind());
  }
  if (o.check) {
    throw make_error(ExitCode::usage, "--check goes with --record FILE");
  }
  const auto composed = [&] {
    const db::ReadTransaction snapshot(db);  // whom and what: one state of the register
    return mailing::compose(db, ctx.config(), m, text::today(), std::time(nullptr));
  }();
  const std::string calls = composed.calls.empty() || !composed.call_list
                                ? std::string()
                                : call_list_text(composed, m, ctx.config().language);
  if (o.preview) {
    for (const auto& message : composed.messages) {
      ctx.err() << mail::preview(message) << '\n';
    }
    ctx.err() << calls;
  }
  for (const auto& path : mail::write_outbox(*o.out, m.kind(), m.request(), composed.messages)) {
    ctx.out() << path.string() << '\n';
  }
  if (!calls.empty()) {
    // Beside the messages, not a .eml: scripts/lib/mail-and-record.sh never mails it.
    const std::filesystem::path path =
        std::filesystem::path(*o.out) /
        fmt::format("{}-{}-{}-calls.txt", m.kind(), m.request(), std::time(nullptr));
    io::write_private_file(path, calls);
    ctx.out() << path.string() << '\n';
  } else if (!composed.calls.empty()) {
    // Ids only: a note on stderr is no place for names or numbers.
    std::vector<std::int64_t> ids;
    for (const auto& c : composed.calls) {
      ids.push_back(c.id);
    }
    ctx.err() << "lbib: note: "
              << i18n::tr_format(
                     "without e-mail, not in this mailing; tell them by telephone: "
                     "experts {}",
                     fmt::format("{}", fmt::join(ids, ", ")))
              << '\n';
  }
}

void add_format_option(CLI::App& sub, std::string& format) {
  // Checked while the command line is parsed, before the command runs: a write never happens
  // and then fails to print (an erasure, an inbox run).
  sub.add_option("--format", format, "Output format: table, json, csv or md")
      ->default_val("table")
      ->check(CLI::Validator(
          [](const std::string& value) -> std::string {
            if (value == "table" || value == "json" || value == "csv" || value == "md") {
              return {};
            }
            return i18n::tr_format("'{}' is not accepted; use one of: table, json, csv, md",
                                   text::printable(value));
          },
          "FORMAT"));
}

bool runs_itself(std::initializer_list<const CLI::App*> corrections,
                 std::initializer_list<const CLI::Option*> required) {
  for (const auto* correction : corrections) {
    if (correction->parsed()) {
      return false;
    }
  }
  for (const auto* option : required) {
    if (option->count() == 0) {
      throw CLI::RequiredError(option->get_name());
    }
  }
  return true;
}

text::Date date_or(const std::optional<std::string>& value, std::string_view field,
                   text::Date fallback) {
  if (!value) {
    return fallback;
  }
  return text::parse_date(field, *value);
}

void write_subject_export(Context& ctx, db::Database& db, const nlohmann::ordered_json& data,
                          std::string_view entity, std::int64_t id,
                          const std::optional<std::string>& out) {
  const auto text = data.dump(2) + '\n';
  db::WriteTransaction tx(db);
  audit::record(tx, ctx.actor(), "export", entity, id);
  if (out) {
    // Written before the commit: if the file cannot be written, the export is not audited.
    io::write_private_file(*out, text, ctx.config().shared_group);
  }
  tx.commit();
  if (!out) {
    ctx.out() << text;
  }
}

void run_erasure(
    Context& ctx, output::Format format, bool dry_run,
    const std::function<privacy::ErasureReport(db::WriteTransaction&, privacy::EraseMode)>& erase) {
  auto db = ctx.open_db();
  privacy::ErasureReport report;
  {
    db::WriteTransaction tx(db);
    report = erase(tx, dry_run ? privacy::EraseMode::dry_run : privacy::EraseMode::erase);
    if (!dry_run) {
      tx.commit();
    }
  }
  if (!dry_run && !privacy::compact(db)) {
    ctx.err() << "lbib: note: "
              << i18n::tr(
                     "another lbib kept the WAL open; run 'lbib gdpr compact' to finish "
                     "overwriting the erased data")
              << '\n';
  }
  output::Table t{{"table", "field", "action", "count"}, {}};
  for (const auto& line : report) {
    t.rows.push_back({line.table, line.field, line.action, line.count});
  }
  output::write(ctx.out(), format, t);
}

void WishOptions::add(CLI::App& sub, bool with_pause) {
  sub.add_option("--forms-wanted", forms_wanted,
                 "Only requests of these forms (taxonomy.forms), comma-separated; empty: any");
  sub.add_option("--forms-unwanted", forms_unwanted,
                 "Never requests of these forms, comma-separated; empty clears");
  sub.add_option("--avoid-areas", areas_avoided,
                 "Areas they would rather not be asked about, comma-separated; empty clears");
  sub.add_option("--setting", setting,
                 "Take part digitally, in person, or either: "
                 "digital, in-person or any");
  sub.add_option("--max-requests", max_requests,
                 "At most this many requests per period (--per); 0: no cap")
      ->check(number_check());
  sub.add_option("--per", per,
                 "The period of --max-requests: month, quarter or year "
                 "(calendar; default year)");
  if (with_pause) {
    sub.add_option("--paused-until", paused_until,
                   "Not asked before this day (holiday, illness): the pause ends "
                   "by itself; empty ends it now");
  }
}

experts::WishChanges WishOptions::changes() const {
  experts::WishChanges c;
  const auto list = [](const std::string& s) {
    std::vector<std::string> out;
    if (!s.empty()) {
      for (auto& piece : text::split(s, ',')) {
        if (!piece.empty()) {
          out.push_back(std::move(piece));
        }
      }
    }
    return out;
  };
  if (forms_wanted) {
    c.forms_wanted = list(*forms_wanted);
  }
  if (forms_unwanted) {
    c.forms_unwanted = list(*forms_unwanted);
  }
  if (areas_avoided) {
    c.areas_avoided = list(*areas_avoided);
  }
  if (setting) {
    c.setting = experts::parse_setting("setting", *setting);
  }
  if (max_requests) {
    const int n = max_requests->empty() ? 0 : std::stoi(*max_requests);
    c.max_requests = n == 0 ? std::optional<int>{} : std::optional<int>{n};
    if (n != 0 && !per) {
      c.per = experts::Period::year;
    }
  }
  if (per) {
    c.per = experts::parse_period("per", *per);
  }
  if (paused_until) {
    c.paused_until =
        paused_until->empty()
            ? std::optional<text::Date>{}
            : std::optional<text::Date>{text::parse_date("paused-until", *paused_until)};
  }
  return c;
}

}  // namespace lbib::cmd
