// SPDX-License-Identifier: MIT
#include "lbib/lending/request_store.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <functional>
#include <map>

namespace lbib::lending::store {
namespace {

void bind_opt(SQLite::Statement& s, int i, const std::optional<std::string>& v) {
  v ? s.bind(i, *v) : s.bind(i);
}
void bind_opt(SQLite::Statement& s, int i, const std::optional<int>& v) {
  v ? s.bind(i, *v) : s.bind(i);
}
void bind_opt(SQLite::Statement& s, int i, const std::optional<text::Date>& v) {
  v ? s.bind(i, text::format_date(*v)) : s.bind(i);
}
std::optional<std::string> opt_text(const SQLite::Column& c) {
  return c.isNull() ? std::nullopt : std::optional<std::string>(c.getString());
}
std::optional<int> opt_int(const SQLite::Column& c) {
  return c.isNull() ? std::nullopt : std::optional<int>(c.getInt());
}
std::optional<text::Date> opt_date(const SQLite::Column& c) {
  return c.isNull() ? std::nullopt
                    : std::optional<text::Date>(text::parse_date("date", c.getString()));
}

// ?1..?13 in INSERT and UPDATE alike.
void bind_details(SQLite::Statement& s, const RequestDetails& d) {
  bind_opt(s, 1, d.purpose);
  bind_opt(s, 2, d.form);
  bind_opt(s, 3, d.time);
  bind_opt(s, 4, d.place);
  s.bind(5, d.digital ? 1 : 0);
  s.bind(6, d.experts_wanted);
  bind_opt(s, 7, d.fewer_reason);
  bind_opt(s, 8, d.min_age);
  bind_opt(s, 9, d.max_age);
  bind_opt(s, 10, d.municipality);
  bind_opt(s, 11, d.reply_by);
  bind_opt(s, 12, d.notes);
}

void replace_wanted(db::WriteTransaction& tx, std::int64_t id, const std::vector<Wanted>& wanted) {
  SQLite::Statement del(tx.sql(), "DELETE FROM request_experience WHERE request_id = ?");
  del.bind(1, id);
  del.exec();
  SQLite::Statement ins(tx.sql(),
                        "INSERT OR IGNORE INTO request_experience (request_id, role, area) "
                        "VALUES (?, ?, ?)");
  for (const auto& w : wanted) {
    ins.bind(1, id);
    bind_opt(ins, 2, w.role);
    ins.bind(3, w.area);
    ins.exec();
    ins.reset();
  }
}

constexpr const char* request_columns =
    "r.id, r.borrower_id, r.received_on, r.purpose, r.form, r.time, r.place, r.digital, "
    "r.experts_wanted, r.fewer_reason, r.min_age, r.max_age, r.municipality, r.reply_by, "
    "r.notes, r.state, r.state_reason, r.hold_until";

Request read_request(SQLite::Statement& q) {
  Request r;
  r.id = q.getColumn(0).getInt64();
  r.borrower_id = q.getColumn(1).getInt64();
  r.received_on = text::parse_date("received_on", q.getColumn(2).getString());
  RequestDetails& d = r.details;
  d.purpose = opt_text(q.getColumn(3));
  d.form = opt_text(q.getColumn(4));
  d.time = opt_text(q.getColumn(5));
  d.place = opt_text(q.getColumn(6));
  d.digital = q.getColumn(7).getInt() != 0;
  d.experts_wanted = q.getColumn(8).getInt();
  d.fewer_reason = opt_text(q.getColumn(9));
  d.min_age = opt_int(q.getColumn(10));
  d.max_age = opt_int(q.getColumn(11));
  d.municipality = opt_text(q.getColumn(12));
  d.reply_by = opt_date(q.getColumn(13));
  d.notes = opt_text(q.getColumn(14));
  r.state = parse_state("state", q.getColumn(15).getString());
  if (!q.getColumn(16).isNull()) {
    r.reason = parse_reason("state_reason", q.getColumn(16).getString());
  }
  r.hold_until = opt_date(q.getColumn(17));
  return r;
}

// Attaches wanted experiences to `requests` in one query.
void attach_wanted(db::Database& db, std::vector<Request>& requests, const std::string& where,
                   const std::function<void(SQLite::Statement&)>& bind) {
  std::map<std::int64_t, Request*> by_id;
  for (auto& r : requests) {
    by_id[r.id] = &r;
  }
  SQLite::Statement q(db.sql(),
                      "SELECT w.request_id, w.role, w.area FROM request_experience w "
                      "JOIN request r ON r.id = w.request_id WHERE " +
                          where + " ORDER BY w.request_id, w.rowid");
  bind(q);
  while (q.executeStep()) {
    if (auto it = by_id.find(q.getColumn(0).getInt64()); it != by_id.end()) {
      it->second->details.wanted.push_back({opt_text(q.getColumn(1)), q.getColumn(2).getString()});
    }
  }
}

}  // namespace

std::int64_t insert_request(db::WriteTransaction& tx, std::int64_t borrower_id,
                            text::Date received_on, const RequestDetails& d) {
  SQLite::Statement s(tx.sql(),
                      "INSERT INTO request (purpose, form, time, place, digital, experts_wanted, "
                      "fewer_reason, min_age, max_age, municipality, reply_by, notes, "
                      "borrower_id, received_on) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
  bind_details(s, d);
  s.bind(13, borrower_id);
  s.bind(14, text::format_date(received_on));
  s.exec();
  const auto id = tx.sql().getLastInsertRowid();
  replace_wanted(tx, id, d.wanted);
  return id;
}

void update_details(db::WriteTransaction& tx, std::int64_t id, const RequestDetails& d) {
  SQLite::Statement s(tx.sql(),
                      "UPDATE request SET purpose = ?1, form = ?2, time = ?3, place = ?4, "
                      "digital = ?5, experts_wanted = ?6, fewer_reason = ?7, min_age = ?8, "
                      "max_age = ?9, municipality = ?10, reply_by = ?11, notes = ?12 "
                      "WHERE id = ?13");
  bind_details(s, d);
  s.bind(13, id);
  s.exec();
  replace_wanted(tx, id, d.wanted);
}

void set_state(db::WriteTransaction& tx, std::int64_t id, State state, std::optional<Reason> reason,
               std::optional<text::Date> hold_until) {
  SQLite::Statement s(
      tx.sql(), "UPDATE request SET state = ?, state_reason = ?, hold_until = ? WHERE id = ?");
  s.bind(1, std::string(to_string(state)));
  reason ? s.bind(2, std::string(to_string(*reason))) : s.bind(2);
  bind_opt(s, 3, hold_until);
  s.bind(4, id);
  s.exec();
}

void insert_event(db::WriteTransaction& tx, std::int64_t id, const Event& e) {
  SQLite::Statement s(tx.sql(),
                      "INSERT INTO request_event (request_id, on_date, from_state, to_state, "
                      "reason, note, correction) VALUES (?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, id);
  s.bind(2, text::format_date(e.on));
  e.from ? s.bind(3, std::string(to_string(*e.from))) : s.bind(3);
  s.bind(4, std::string(to_string(e.to)));
  e.reason ? s.bind(5, std::string(to_string(*e.reason))) : s.bind(5);
  bind_opt(s, 6, e.note);
  bind_opt(s, 7, e.correction);
  s.exec();
}

void insert_pre_meeting(db::WriteTransaction& tx, std::int64_t id, const PreMeeting& p) {
  SQLite::Statement s(tx.sql(),
                      "INSERT INTO pre_meeting (request_id, held_on, told_compensation, "
                      "told_two_experts, told_feedback, notes) VALUES (?, ?, 1, 1, 1, ?)");
  s.bind(1, id);
  s.bind(2, text::format_date(p.held_on));
  bind_opt(s, 3, p.notes);
  s.exec();
}

void insert_pick(db::WriteTransaction& tx, std::int64_t id, std::int64_t expert_id, text::Date on) {
  SQLite::Statement s(tx.sql(),
                      "INSERT OR IGNORE INTO request_pick (request_id, expert_id, picked_on) "
                      "VALUES (?, ?, ?)");
  s.bind(1, id);
  s.bind(2, expert_id);
  s.bind(3, text::format_date(on));
  s.exec();
}

bool borrower_exists(db::Database& db, std::int64_t borrower_id) {
  SQLite::Statement q(db.sql(), "SELECT 1 FROM borrower WHERE id = ?");
  q.bind(1, borrower_id);
  return q.executeStep();
}

std::optional<Request> find(db::Database& db, std::int64_t id) {
  SQLite::Statement q(db.sql(),
                      fmt::format("SELECT {} FROM request r WHERE r.id = ?", request_columns));
  q.bind(1, id);
  if (!q.executeStep()) {
    return std::nullopt;
  }
  std::vector<Request> one{read_request(q)};
  attach_wanted(db, one, "r.id = ?1", [id](SQLite::Statement& s) { s.bind(1, id); });
  Request& r = one.front();

  SQLite::Statement ev(
      db.sql(),
      "SELECT on_date, from_state, to_state, reason, note, correction FROM request_event "
      "WHERE request_id = ? ORDER BY id");
  ev.bind(1, id);
  while (ev.executeStep()) {
    Event e;
    e.on = text::parse_date("on_date", ev.getColumn(0).getString());
    if (!ev.getColumn(1).isNull()) {
      e.from = parse_state("from_state", ev.getColumn(1).getString());
    }
    e.to = parse_state("to_state", ev.getColumn(2).getString());
    if (!ev.getColumn(3).isNull()) {
      e.reason = parse_reason("reason", ev.getColumn(3).getString());
    }
    e.note = opt_text(ev.getColumn(4));
    e.correction = opt_text(ev.getColumn(5));
    r.events.push_back(std::move(e));
  }
  SQLite::Statement pm(db.sql(), "SELECT held_on, notes FROM pre_meeting WHERE request_id = ?");
  pm.bind(1, id);
  if (pm.executeStep()) {
    r.pre_meeting = PreMeeting{text::parse_date("held_on", pm.getColumn(0).getString()),
                               opt_text(pm.getColumn(1))};
  }
  SQLite::Statement picks(
      db.sql(), "SELECT expert_id FROM request_pick WHERE request_id = ? ORDER BY expert_id");
  picks.bind(1, id);
  while (picks.executeStep()) {
    r.picks.push_back(picks.getColumn(0).getInt64());
  }
  return std::move(r);
}

void each(db::Database& db, const RequestFilter& f, const std::function<void(Request&)>& visit) {
  const std::string where = "(?1 IS NULL OR r.state = ?1) AND (?2 IS NULL OR r.borrower_id = ?2)";
  const auto bind = [&f](SQLite::Statement& s) {
    f.state ? s.bind(1, std::string(to_string(*f.state))) : s.bind(1);
    f.borrower_id ? s.bind(2, *f.borrower_id) : s.bind(2);
  };
  // The requests and their wanted experiences, both by request id, read side by side: each
  // request is complete when it is handed on, and none is held.
  SQLite::Statement q(db.sql(), fmt::format("SELECT {} FROM request r WHERE {} ORDER BY r.id",
                                            request_columns, where));
  SQLite::Statement w(db.sql(),
                      "SELECT w.request_id, w.role, w.area FROM request_experience w "
                      "JOIN request r ON r.id = w.request_id WHERE " +
                          where + " ORDER BY w.request_id, w.rowid");
  bind(q);
  bind(w);
  bool wanted = w.executeStep();
  while (q.executeStep()) {
    Request r = read_request(q);
    while (wanted && w.getColumn(0).getInt64() < r.id) {
      wanted = w.executeStep();
    }
    while (wanted && w.getColumn(0).getInt64() == r.id) {
      r.details.wanted.push_back({opt_text(w.getColumn(1)), w.getColumn(2).getString()});
      wanted = w.executeStep();
    }
    visit(r);
  }
}

}  // namespace lbib::lending::store
