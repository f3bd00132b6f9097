// SPDX-License-Identifier: MIT
#include "lbib/lending/assignments.hpp"

#include <SQLiteCpp/Statement.h>

#include "lbib/error.hpp"
#include "lbib/lending/requests.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::lending {
namespace {

// A request is still looking for experts before its loan: an open call and a recruit for it
// make sense only then.
bool before_loan(State s) {
  return s == State::received || s == State::awaiting_detail || s == State::pre_meeting_held ||
         s == State::on_hold || s == State::dispatched;
}

}  // namespace

void validate_call(const std::string& text) {
  if (text.empty()) {
    throw make_error(ExitCode::data,
                     "call: the text is empty; write what, when, where and what "
                     "experience is sought (or use --clear)");
  }
  text::check_text("call", text, 2000);
}

void set_open_call(db::WriteTransaction& tx, std::int64_t id,
                   const std::optional<std::string>& text, text::Date today,
                   const audit::Actor& actor) {
  const Request r = get_request(tx.database(), id);
  if (!text) {
    SQLite::Statement del(tx.sql(), "DELETE FROM open_call WHERE request_id = ?");
    del.bind(1, id);
    if (del.exec() == 0) {
      throw make_error(ExitCode::data, "request {} has no open call", id);
    }
    audit::record(tx, actor, "close-call", "request", id);
    return;
  }
  validate_call(*text);
  if (!before_loan(r.state)) {
    throw make_error(ExitCode::data,
                     "request {} is {}; an open call needs a request before its loan", id,
                     to_string(r.state));
  }
  if (!r.details.reply_by) {
    throw make_error(ExitCode::data,
                     "request {} has no reply-by date; the open call is shown until it (lbib "
                     "request edit {} --reply-by YYYY-MM-DD)",
                     id, id);
  }
  if (*r.details.reply_by < today) {
    throw make_error(ExitCode::data,
                     "request {}: the reply-by date {} has passed; give a later one first", id,
                     text::format_date(*r.details.reply_by));
  }
  SQLite::Statement put(tx.sql(), R"sql(
    INSERT INTO open_call (request_id, text, opened_on) VALUES (?1, ?2, ?3)
    ON CONFLICT (request_id) DO UPDATE SET text = excluded.text)sql");
  put.bind(1, id);
  put.bind(2, *text);
  put.bind(3, text::format_date(today));
  put.exec();
  audit::record(tx, actor, "open-call", "request", id, "text");
}

std::optional<OpenCall> find_open_call(db::Database& db, std::int64_t id) {
  SQLite::Statement q(db.sql(),
                      "SELECT c.text, r.reply_by FROM open_call c JOIN request r ON r.id = "
                      "c.request_id WHERE c.request_id = ?");
  q.bind(1, id);
  if (!q.executeStep()) {
    return std::nullopt;
  }
  OpenCall c{id, q.getColumn(0).getString(), {}};
  if (!q.getColumn(1).isNull()) {
    c.reply_by = text::parse_date("reply_by", q.getColumn(1).getString());
  }
  return c;
}

std::vector<OpenCall> open_calls(db::Database& db, text::Date today) {
  SQLite::Statement q(db.sql(), R"sql(
    SELECT c.request_id, c.text, r.reply_by FROM open_call c JOIN request r ON r.id = c.request_id
    WHERE r.reply_by >= ?1
      AND r.state IN ('received', 'awaiting-detail', 'pre-meeting-held', 'on-hold', 'dispatched')
    ORDER BY c.request_id)sql");
  q.bind(1, text::format_date(today));
  std::vector<OpenCall> out;
  while (q.executeStep()) {
    out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(),
                   text::parse_date("reply_by", q.getColumn(2).getString())});
  }
  return out;
}

std::int64_t recruit_for(db::WriteTransaction& tx, const config::Config& config,
                         const experts::Recruitment& recruitment, std::int64_t request,
                         const audit::Actor& actor) {
  const Request r = get_request(tx.database(), request);
  if (!before_loan(r.state)) {
    throw make_error(ExitCode::data,
                     "request {} is {}; a person can be recruited for a request before its loan "
                     "only",
                     request, to_string(r.state));
  }
  const auto& given = recruitment.consents;
  if (std::find(given.begin(), given.end(), experts::Purpose::mailing) == given.end()) {
    throw make_error(ExitCode::data,
                     "--for-request: the person must consent to mailing too, so the request can "
                     "be sent to them (--consent register,mailing)");
  }
  const auto id = experts::recruit(tx, config, recruitment, actor);
  SQLite::Statement put(tx.sql(),
                        "INSERT INTO assignment_recruit (expert_id, request_id) VALUES (?, ?)");
  put.bind(1, id);
  put.bind(2, request);
  put.exec();
  audit::record(tx, actor, "recruit-for", "expert", id, "request_id");
  pick_experts(tx, request, {id}, recruitment.profile.interviewed_on, actor);
  return id;
}

std::optional<Assignment> find_assignment(db::Database& db, std::int64_t id) {
  SQLite::Statement q(db.sql(),
                      "SELECT request_id, joined_on FROM assignment_recruit WHERE expert_id = ?");
  q.bind(1, id);
  if (!q.executeStep()) {
    return std::nullopt;
  }
  Assignment a{q.getColumn(0).getInt64(), {}};
  if (!q.getColumn(1).isNull()) {
    a.joined_on = text::parse_date("joined_on", q.getColumn(1).getString());
  }
  return a;
}

void join(db::WriteTransaction& tx, std::int64_t id, text::Date on, const audit::Actor& actor) {
  const auto e = experts::get_living(tx.database(), id);
  const auto a = find_assignment(tx.database(), id);
  if (!a) {
    throw make_error(ExitCode::data,
                     "expert {} was not recruited for an assignment; they are a regular expert "
                     "already",
                     id);
  }
  if (a->joined_on) {
    throw make_error(ExitCode::data, "expert {} joined the library on {}", id,
                     text::format_date(*a->joined_on));
  }
  if (on < e.profile.interviewed_on) {
    throw make_error(ExitCode::data, "date: {} is before the expert's interview",
                     text::format_date(on));
  }
  SQLite::Statement q(tx.sql(), "UPDATE assignment_recruit SET joined_on = ? WHERE expert_id = ?");
  q.bind(1, text::format_date(on));
  q.bind(2, id);
  q.exec();
  audit::record(tx, actor, "join", "expert", id, "joined_on");
}

}  // namespace lbib::lending
