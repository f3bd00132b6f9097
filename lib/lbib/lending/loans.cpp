// SPDX-License-Identifier: MIT
#include "lbib/lending/loans.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>

#include "lbib/error.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/lending/requests.hpp"
#include "lbib/text/i18n.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::lending {
namespace {

bool was_invited(db::Database& db, std::int64_t request_id, std::int64_t expert_id) {
  SQLite::Statement q(db.sql(), "SELECT 1 FROM invitation WHERE request_id = ? AND expert_id = ?");
  q.bind(1, request_id);
  q.bind(2, expert_id);
  return q.executeStep();
}

}  // namespace

std::string uninvited_note(std::string_view language, std::int64_t expert_id,
                           std::string_view reason) {
  return i18n::tr_format_in(language, "expert {} took part without an invitation: {}", expert_id,
                            reason);
}

namespace {

// Participants must have been invited to the request; an expert who was not is accepted only
// when the contact person names them with a reason. Returns the history's lines for them.
std::vector<std::string> check_invited(db::Database& db, const config::Config& config,
                                       std::int64_t request_id,
                                       const std::vector<std::int64_t>& ids,
                                       const std::vector<Uninvited>& uninvited) {
  std::vector<std::string> lines;
  for (const auto& u : uninvited) {
    text::check_line("uninvited", u.reason, text::limits::short_text);
    if (u.reason.find_first_not_of(" \t") == std::string::npos) {
      throw make_error(ExitCode::usage,
                       "--uninvited: give the expert's id and a reason, as ID:REASON");
    }
    if (was_invited(db, request_id, u.expert_id)) {
      throw make_error(ExitCode::data,
                       "--uninvited: expert {} was invited to request {}; name them with --expert",
                       u.expert_id, request_id);
    }
  }
  for (const auto expert_id : ids) {
    if (was_invited(db, request_id, expert_id)) {
      continue;
    }
    const auto it = std::find_if(uninvited.begin(), uninvited.end(),
                                 [expert_id](const auto& u) { return u.expert_id == expert_id; });
    if (it == uninvited.end()) {
      throw make_error(ExitCode::data,
                       "expert {} was not invited to request {}; record them with --uninvited "
                       "{}:REASON if they took part anyway",
                       expert_id, request_id, expert_id);
    }
    lines.push_back(uninvited_note(config.language, expert_id, it->reason));
  }
  return lines;
}

}  // namespace

namespace {

// The loan's own fields (dates, form, counts) and its number of participants.
std::vector<std::int64_t> check_fields(db::Database& db, const config::Config& config,
                                       std::int64_t id, const LoanInput& in, text::Date today) {
  if (today < in.carried_out_on) {
    throw make_error(ExitCode::data,
                     "date: {} is in the future; a loan is recorded once it was carried out "
                     "(today {} or earlier)",
                     text::format_date(in.carried_out_on), text::format_date(today));
  }
  if (in.form && config::find_term(config.forms, *in.form) == nullptr) {
    throw make_error(ExitCode::data, "form: unknown form '{}'; use one of: {}", *in.form,
                     config::keys_of(config.forms));
  }
  if (in.until && *in.until < in.carried_out_on) {
    throw make_error(ExitCode::data, "until: the loan cannot end before it starts");
  }
  if (in.until && today < *in.until) {
    throw make_error(ExitCode::data,
                     "until: {} is in the future; a loan is recorded once it was carried out, "
                     "its last day too (today {} or earlier)",
                     text::format_date(*in.until), text::format_date(today));
  }
  if (in.external_participants < 0 || in.external_participants > 10000) {
    throw make_error(ExitCode::data, "external: a number from 0 to 10000 is accepted");
  }
  if (in.fewer_reason) {
    text::check_line("fewer-reason", *in.fewer_reason, text::limits::short_text);
  }
  std::vector<std::int64_t> ids = in.experts;
  for (const auto& u : in.uninvited) {
    ids.push_back(u.expert_id);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (static_cast<int>(ids.size()) < config.min_experts && !in.fewer_reason) {
    throw make_error(ExitCode::data,
                     "loan: {} of the library's experts took part; the library lends at least "
                     "{}, so give --fewer-reason",
                     ids.size(), config.min_experts);
  }
  // The loan cannot predate the mailing that made it possible.
  SQLite::Statement first(db.sql(), "SELECT min(sent_on) FROM dispatch WHERE request_id = ?");
  first.bind(1, id);
  if (first.executeStep() && !first.getColumn(0).isNull() &&
      text::format_date(in.carried_out_on) < first.getColumn(0).getString()) {
    throw make_error(ExitCode::data, "date: the loan cannot be before the request was mailed ({})",
                     first.getColumn(0).getString());
  }
  return ids;
}

// The no-shows: known experts invited to the request who signed up (said yes, or are on the
// loan already: `accepted`) and are not also participants.
std::vector<std::int64_t> check_no_shows(db::Database& db, std::int64_t request_id,
                                         std::vector<std::int64_t> ids,
                                         const std::vector<std::int64_t>& participants,
                                         const std::vector<std::int64_t>& accepted) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (const auto expert_id : ids) {
    experts::get(db, expert_id);  // an unknown id is refused by name
    if (std::binary_search(participants.begin(), participants.end(), expert_id)) {
      throw make_error(ExitCode::data,
                       "--no-show: expert {} is also named as taking part; an expert either took "
                       "part or did not",
                       expert_id);
    }
    if (!was_invited(db, request_id, expert_id)) {
      throw make_error(ExitCode::data,
                       "--no-show: expert {} was not invited to request {}; a no-show is an "
                       "invited expert who signed up but did not take part",
                       expert_id, request_id);
    }
    if (std::find(accepted.begin(), accepted.end(), expert_id) != accepted.end()) {
      continue;
    }
    SQLite::Statement said(db.sql(),
                           "SELECT answer FROM answer WHERE request_id = ? AND expert_id = ?");
    said.bind(1, request_id);
    said.bind(2, expert_id);
    const std::string answer = said.executeStep() ? said.getColumn(0).getString() : "";
    if (answer == "no") {
      throw make_error(ExitCode::data,
                       "--no-show: expert {} declined request {}; a no-show is an invited expert "
                       "who signed up but did not take part",
                       expert_id, request_id);
    }
    if (answer != "yes") {
      throw make_error(ExitCode::data,
                       "--no-show: expert {} never signed up for request {} (no yes is recorded); "
                       "a no-show signed up but did not take part: record the answer first "
                       "('lbib answer {} yes --expert {}')",
                       expert_id, request_id, request_id, expert_id);
    }
  }
  return ids;
}

// The participants: known experts, invited or named with a reason (or `accepted`).
CheckedLoan check_participants(db::Database& db, const config::Config& config, std::int64_t id,
                               const LoanInput& in, std::vector<std::int64_t> ids,
                               const std::vector<std::int64_t>& accepted) {
  CheckedLoan checked;
  for (const auto expert_id : ids) {
    experts::get(db, expert_id);  // an unknown id is refused by name
  }
  std::vector<std::int64_t> to_check;
  for (const auto expert_id : ids) {
    if (std::find(accepted.begin(), accepted.end(), expert_id) == accepted.end()) {
      to_check.push_back(expert_id);
    }
  }
  checked.history = check_invited(db, config, id, to_check, in.uninvited);
  checked.participants = std::move(ids);
  checked.no_shows = check_no_shows(db, id, in.no_shows, checked.participants, accepted);
  return checked;
}

}  // namespace

CheckedLoan check_loan(db::Database& db, const config::Config& config, std::int64_t id,
                       const LoanInput& in, text::Date today,
                       const std::vector<std::int64_t>& accepted) {
  auto ids = check_fields(db, config, id, in, today);
  return check_participants(db, config, id, in, std::move(ids), accepted);
}

void record_loan(db::WriteTransaction& tx, const config::Config& config, std::int64_t id,
                 const LoanInput& in, text::Date today, const audit::Actor& actor) {
  const Request r = get_request(tx.database(), id);
  // What the person must fix first comes first: a loan already recorded is corrected, not
  // recorded again, whatever the options say; then the options' own values, then a request in
  // the wrong state (refused by transition() with its own message), and only then the
  // participants.
  if (const auto recorded = find_loan(tx.database(), id)) {
    throw make_error(ExitCode::data,
                     "request {} already has a loan, recorded for {}; correct it with 'lbib loan "
                     "correct {}', or undo it with 'lbib loan undo {} --reason ...'",
                     id, text::format_date(recorded->carried_out_on), id, id);
  }
  auto ids_in = check_fields(tx.database(), config, id, in, today);
  const auto from = allowed_from(Step::loan);
  if (std::find(from.begin(), from.end(), r.state) == from.end()) {
    transition(tx, r, Step::loan, State::loan_carried_out,
               StepInput{in.carried_out_on, {}, {}, {}});
  }
  const auto checked = check_participants(tx.database(), config, id, in, std::move(ids_in), {});
  const auto& ids = checked.participants;
  // The reasons for uninvited participants go into the loan's event in the request's history.
  std::vector<std::string> history;
  if (in.note) {
    history.push_back(*in.note);
  }
  for (const auto& line : checked.history) {
    history.push_back(line);
  }
  std::optional<std::string> note;
  if (!history.empty()) {
    note = text::join(history, "\n");
  }
  transition(tx, r, Step::loan, State::loan_carried_out,
             StepInput{in.carried_out_on, {}, {}, note});

  SQLite::Statement loan(tx.sql(),
                         "INSERT INTO loan (request_id, carried_out_on, until_on, form, "
                         "external_participants, fewer_reason) VALUES (?, ?, ?, ?, ?, ?)");
  loan.bind(1, id);
  loan.bind(2, text::format_date(in.carried_out_on));
  in.until ? loan.bind(3, text::format_date(*in.until)) : loan.bind(3);
  const auto form = in.form ? in.form : r.details.form;
  form ? loan.bind(4, *form) : loan.bind(4);
  loan.bind(5, in.external_participants);
  in.fewer_reason ? loan.bind(6, *in.fewer_reason) : loan.bind(6);
  loan.exec();
  add_participants(tx, id, ids);
  set_no_shows(tx, id, checked.no_shows);
  audit::record(tx, actor, "loan", "request", id,
                checked.no_shows.empty()
                    ? fmt::format("{} experts", ids.size())
                    : fmt::format("{} experts, {} no-shows", ids.size(), checked.no_shows.size()));
}

void set_no_shows(db::WriteTransaction& tx, std::int64_t id,
                  const std::vector<std::int64_t>& experts) {
  SQLite::Statement del(tx.sql(), "DELETE FROM loan_no_show WHERE request_id = ?");
  del.bind(1, id);
  del.exec();
  SQLite::Statement ins(tx.sql(), "INSERT INTO loan_no_show (request_id, expert_id) VALUES (?, ?)");
  for (const auto expert_id : experts) {
    ins.bind(1, id);
    ins.bind(2, expert_id);
    ins.exec();
    ins.reset();
  }
}

void add_participants(db::WriteTransaction& tx, std::int64_t id,
                      const std::vector<std::int64_t>& experts) {
  SQLite::Statement part(
      tx.sql(),
      "INSERT INTO loan_participant (request_id, expert_id, invited) VALUES "
      "(?1, ?2, EXISTS (SELECT 1 FROM invitation WHERE request_id = ?1 AND expert_id = ?2))");
  for (const auto expert_id : experts) {
    part.bind(1, id);
    part.bind(2, expert_id);
    part.exec();
    part.reset();
  }
}

std::optional<Loan> find_loan(db::Database& db, std::int64_t request_id) {
  SQLite::Statement q(db.sql(),
                      "SELECT carried_out_on, until_on, form, external_participants, fewer_reason "
                      "FROM loan WHERE request_id = ?");
  q.bind(1, request_id);
  if (!q.executeStep()) {
    return std::nullopt;
  }
  Loan l;
  l.carried_out_on = text::parse_date("carried_out_on", q.getColumn(0).getString());
  if (!q.getColumn(1).isNull()) {
    l.until = text::parse_date("until_on", q.getColumn(1).getString());
  }
  if (!q.getColumn(2).isNull()) {
    l.form = q.getColumn(2).getString();
  }
  l.external_participants = q.getColumn(3).getInt();
  if (!q.getColumn(4).isNull()) {
    l.fewer_reason = q.getColumn(4).getString();
  }
  SQLite::Statement p(db.sql(),
                      "SELECT expert_id, invited FROM loan_participant WHERE request_id = ? "
                      "ORDER BY expert_id");
  p.bind(1, request_id);
  while (p.executeStep()) {
    l.participants.push_back({p.getColumn(0).getInt64(), p.getColumn(1).getInt() != 0});
  }
  SQLite::Statement n(db.sql(),
                      "SELECT expert_id FROM loan_no_show WHERE request_id = ? ORDER BY expert_id");
  n.bind(1, request_id);
  while (n.executeStep()) {
    l.no_shows.push_back(n.getColumn(0).getInt64());
  }
  return l;
}

}  // namespace lbib::lending
