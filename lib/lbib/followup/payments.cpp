// SPDX-License-Identifier: MIT
#include "lbib/followup/payments.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "lbib/error.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/lending/borrowers.hpp"
#include "lbib/lending/loans.hpp"
#include "lbib/lending/request_store.hpp"
#include "lbib/lending/requests.hpp"
#include "lbib/text/i18n.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::followup {

using i18n::N_;
namespace {

std::string_view unit_name(Unit u) {
  switch (u) {
    case Unit::hour:
      return "hour";
    case Unit::half_day:
      return "half-day";
    case Unit::full_day:
      return "full-day";
  }
  return "?";
}

std::string_view status_name(PaymentStatus s) {
  switch (s) {
    case PaymentStatus::due:
      return "due";
    case PaymentStatus::paid:
      return "paid";
    case PaymentStatus::declined:
      return "declined";
  }
  return "?";
}

// A payment as recorded, to compare with what is recorded again.
struct Recorded {
  std::string unit;
  int quantity = 0, travel = 0;
  std::string payer, status, settled_on, due_on;
};

}  // namespace

std::int64_t payment_amount(std::int64_t rate, std::int64_t quantity, std::int64_t travel) {
  return rate * quantity + travel;
}

Unit parse_unit(std::string_view field, std::string_view s) {
  for (const auto u : {Unit::hour, Unit::half_day, Unit::full_day}) {
    if (unit_name(u) == s) {
      return u;
    }
  }
  throw make_error(ExitCode::data, "{}: '{}' is not accepted; use one of: hour, half-day, full-day",
                   field, s);
}

PaymentStatus parse_payment_status(std::string_view field, std::string_view s) {
  for (const auto st : {PaymentStatus::due, PaymentStatus::paid, PaymentStatus::declined}) {
    if (status_name(st) == s) {
      return st;
    }
  }
  throw make_error(ExitCode::data, "{}: '{}' is not accepted; use one of: due, paid, declined",
                   field, s);
}

void record_payment(db::WriteTransaction& tx, const config::Config& config, std::int64_t request_id,
                    const PaymentInput& given, const audit::Actor& actor) {
  // An unknown request or expert is no input (66), before any question about the options.
  const auto r = lending::get_request(tx.database(), request_id);
  experts::get(tx.database(), given.expert_id);
  if (given.on && given.status != PaymentStatus::due && text::today() < *given.on) {
    throw make_error(ExitCode::data,
                     "date: {} is in the future; a payment is recorded as {} once it is (today {} "
                     "or earlier)",
                     text::format_date(*given.on), status_name(given.status),
                     text::format_date(text::today()));
  }
  // What is not given keeps the earlier record of this payment.
  PaymentInput in = given;
  std::optional<Recorded> before;
  {
    SQLite::Statement q(tx.sql(),
                        "SELECT unit, quantity, travel, payer, status, "
                        "coalesce(settled_on, ''), due_on "
                        "FROM payment WHERE request_id = ? AND expert_id = ?");
    q.bind(1, request_id);
    q.bind(2, given.expert_id);
    if (q.executeStep()) {
      before = Recorded{q.getColumn(0).getString(), q.getColumn(1).getInt(),
                        q.getColumn(2).getInt(),    q.getColumn(3).getString(),
                        q.getColumn(4).getString(), q.getColumn(5).getString(),
                        q.getColumn(6).getString()};
      if (!in.unit) {
        in.unit = parse_unit("unit", q.getColumn(0).getString());
      }
      if (!in.quantity) {
        in.quantity = q.getColumn(1).getInt();
      }
      if (!in.travel) {
        in.travel = q.getColumn(2).getInt();
      }
      if (!in.payer) {
        in.payer = q.getColumn(3).getString();
      }
    }
  }
  if (!in.unit) {
    throw make_error(ExitCode::usage,
                     "--unit is required for a new payment: hour, half-day or full-day");
  }
  const int quantity = in.quantity.value_or(1);
  const int travel = in.travel.value_or(0);
  const auto loan = lending::find_loan(tx.database(), request_id);
  if (!loan) {
    throw make_error(ExitCode::data, "request {} has no loan recorded; compensation follows a loan",
                     request_id);
  }
  const bool took_part = std::any_of(loan->participants.begin(), loan->participants.end(),
                                     [&](const auto& p) { return p.expert_id == in.expert_id; });
  if (!took_part) {
    throw make_error(ExitCode::data, "expert {} did not take part in the loan of request {}",
                     in.expert_id, request_id);
  }
  if (quantity < 1 || quantity > 1000) {
    throw make_error(ExitCode::data, "quantity: a whole number from 1 to 1000 is accepted");
  }
  if (travel < 0 || travel > 1000000) {
    throw make_error(ExitCode::data, "travel: whole kronor from 0 to 1000000 are accepted");
  }
  const auto* rate = config.rate_on(loan->carried_out_on);
  if (rate == nullptr) {
    throw make_error(ExitCode::config,
                     "compensation.rates has no rate valid on {}; add one to the configuration",
                     text::format_date(loan->carried_out_on));
  }
  const int per_unit = *in.unit == Unit::hour       ? rate->hour
                       : *in.unit == Unit::half_day ? rate->half_day
                                                    : rate->full_day;
  const std::string payer =
      in.payer ? *in.payer : lending::get_borrower(tx.database(), r.borrower_id).display();
  text::check_line("payer", payer, text::limits::name);
  // Without --date a correction keeps the recorded dates: the day it was settled (when it stays
  // settled) and the day it was due from; a new payment, or one settled now, is dated today.
  std::string due_on, settled_on;
  if (in.status == PaymentStatus::due) {
    due_on = in.on    ? text::format_date(*in.on)
             : before ? before->due_on
                      : text::format_date(text::today());
  } else {
    due_on = before ? before->due_on : text::format_date(loan->carried_out_on);
    settled_on = in.on                               ? text::format_date(*in.on)
                 : before && before->status != "due" ? before->settled_on
                                                     : text::format_date(text::today());
  }
  if (in.on && *in.on < loan->carried_out_on) {
    throw make_error(ExitCode::data, "date: {} is before the loan ({})", text::format_date(*in.on),
                     text::format_date(loan->carried_out_on));
  }
  if (before && before->status != "due") {
    // A settled payment: the same record again changes nothing; anything else is a correction.
    std::vector<std::string> fields;
    const auto differs = [&fields](bool d, const char* name) {
      if (d) {
        fields.emplace_back(name);
      }
    };
    differs(before->unit != unit_name(*in.unit), "unit");
    differs(before->quantity != quantity, "quantity");
    differs(before->travel != travel, "travel");
    differs(before->payer != payer, "payer");
    differs(before->status != status_name(in.status), "status");
    differs(before->settled_on != settled_on, "settled_on");
    if (fields.empty()) {
      return;
    }
    if (!in.correction_reason ||
        in.correction_reason->find_first_not_of(" \t\n") == std::string::npos) {
      throw make_error(ExitCode::data,
                       "the payment to expert {} was recorded as {} on {}; changing it is a "
                       "correction: add --reason (kept in the request's history)",
                       in.expert_id, before->status, before->settled_on);
    }
    text::check_text("reason", *in.correction_reason, 2000);
    lending::store::insert_event(
        tx, request_id,
        lending::Event{text::today(), r.state, r.state, std::nullopt, in.correction_reason,
                       "payment:" + text::join(fields, ",")});
  }
  SQLite::Statement s(tx.sql(), R"sql(
    INSERT INTO payment (request_id, expert_id, unit, quantity, rate, travel, amount,
                         rate_valid_from, payer, status, due_on, settled_on)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
    ON CONFLICT (request_id, expert_id) DO UPDATE SET
      unit = excluded.unit, quantity = excluded.quantity, rate = excluded.rate,
      travel = excluded.travel, amount = excluded.amount,
      rate_valid_from = excluded.rate_valid_from, payer = excluded.payer,
      status = excluded.status, settled_on = excluded.settled_on,
      due_on = CASE WHEN excluded.status = 'due' THEN excluded.due_on ELSE payment.due_on END)sql");
  s.bind(1, request_id);
  s.bind(2, in.expert_id);
  s.bind(3, std::string(unit_name(*in.unit)));
  s.bind(4, quantity);
  s.bind(5, per_unit);
  s.bind(6, travel);
  s.bind(7, payment_amount(per_unit, quantity, travel));
  s.bind(8, text::format_date(rate->valid_from));
  s.bind(9, payer);
  s.bind(10, std::string(status_name(in.status)));
  s.bind(11, due_on);
  in.status == PaymentStatus::due ? s.bind(12) : s.bind(12, settled_on);
  s.exec();
  const bool correction = before && before->status != "due";
  audit::record(tx, actor, correction ? "pay-correct" : "pay", "request", request_id,
                fmt::format("expert {} {}", in.expert_id, status_name(in.status)));
}

bool reprice(db::WriteTransaction& tx, const config::Config& config, std::int64_t request_id,
             text::Date loan_on) {
  struct Row {
    std::int64_t expert_id;
    Unit unit;
    std::int64_t quantity, travel, amount;
    std::string status;
  };
  std::vector<Row> rows;
  SQLite::Statement q(tx.sql(),
                      "SELECT expert_id, unit, quantity, travel, amount, status FROM payment "
                      "WHERE request_id = ? ORDER BY expert_id");
  q.bind(1, request_id);
  while (q.executeStep()) {
    rows.push_back({q.getColumn(0).getInt64(), parse_unit("unit", q.getColumn(1).getString()),
                    q.getColumn(2).getInt64(), q.getColumn(3).getInt64(), q.getColumn(4).getInt64(),
                    q.getColumn(5).getString()});
  }
  if (rows.empty()) {
    return false;
  }
  const auto* rate = config.rate_on(loan_on);
  if (rate == nullptr) {
    throw make_error(ExitCode::config,
                     "compensation.rates has no rate valid on {}; add one to the configuration",
                     text::format_date(loan_on));
  }
  bool changed = false;
  SQLite::Statement upd(tx.sql(),
                        "UPDATE payment SET rate = ?, amount = ?, rate_valid_from = ? "
                        "WHERE request_id = ? AND expert_id = ?");
  for (const auto& row : rows) {
    const int per_unit = row.unit == Unit::hour       ? rate->hour
                         : row.unit == Unit::half_day ? rate->half_day
                                                      : rate->full_day;
    const auto amount = payment_amount(per_unit, row.quantity, row.travel);
    if (amount != row.amount && row.status == "paid") {
      throw make_error(ExitCode::data,
                       "date: expert {} was paid at the rate of the loan's recorded date; a "
                       "loan on {} has another rate, so the payment would no longer match",
                       row.expert_id, text::format_date(loan_on));
    }
    changed = changed || amount != row.amount;
    upd.bind(1, per_unit);
    upd.bind(2, amount);
    upd.bind(3, text::format_date(rate->valid_from));
    upd.bind(4, request_id);
    upd.bind(5, row.expert_id);
    upd.exec();
    upd.reset();
  }
  return changed;
}

output::Table payments_table(db::Database& db, bool outstanding_only) {
  output::Table t{{"request", "borrower", "expert", "unit", "quantity", "rate", "travel", "amount",
                   "payer", "status", "due_on", "settled_on"},
                  {}};
  SQLite::Statement q(db.sql(), R"sql(
    SELECT p.request_id, b.organisation || coalesce(', ' || b.unit, ''), p.expert_id, p.unit,
           p.quantity, p.rate, p.travel, p.amount, p.payer, p.status, p.due_on, p.settled_on
    FROM payment p JOIN request r ON r.id = p.request_id JOIN borrower b ON b.id = r.borrower_id
    WHERE ?1 = 0 OR p.status = 'due'
    ORDER BY p.due_on, p.request_id, p.expert_id)sql");
  q.bind(1, outstanding_only ? 1 : 0);
  while (q.executeStep()) {
    t.rows.push_back(
        {q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getInt64(),
         q.getColumn(3).getString(), q.getColumn(4).getInt64(), q.getColumn(5).getInt64(),
         q.getColumn(6).getInt64(), q.getColumn(7).getInt64(), q.getColumn(8).getString(),
         q.getColumn(9).getString(), q.getColumn(10).getString(),
         q.getColumn(11).isNull() ? output::Value{} : output::Value{q.getColumn(11).getString()}});
  }
  return t;
}

output::Table payments_by_payer(db::Database& db, bool outstanding_only) {
  output::Table t{{"payer", "payments", "amount", "due_amount", "paid_amount"}, {}};
  SQLite::Statement q(db.sql(), R"sql(
    SELECT payer, count(*), sum(amount),
           sum(CASE WHEN status = 'due' THEN amount ELSE 0 END),
           sum(CASE WHEN status = 'paid' THEN amount ELSE 0 END)
    FROM payment WHERE ?1 = 0 OR status = 'due'
    GROUP BY payer ORDER BY payer COLLATE sv)sql");
  q.bind(1, outstanding_only ? 1 : 0);
  while (q.executeStep()) {
    t.rows.push_back({q.getColumn(0).getString(), q.getColumn(1).getInt64(),
                      q.getColumn(2).getInt64(), q.getColumn(3).getInt64(),
                      q.getColumn(4).getInt64()});
  }
  return t;
}

output::Document claim_document(db::Database& db, const config::Config& config,
                                std::int64_t request_id, std::int64_t expert_id, text::Date today) {
  const auto& lang = config.language;
  const auto r = lending::get_request(db, request_id);
  const auto e = experts::get_living(db, expert_id);
  SQLite::Statement q(db.sql(), R"sql(
    SELECT p.unit, p.quantity, p.rate, p.travel, p.amount, p.rate_valid_from, p.payer, p.status,
           p.due_on, p.settled_on, l.carried_out_on
    FROM payment p JOIN loan l ON l.request_id = p.request_id
    WHERE p.request_id = ?1 AND p.expert_id = ?2)sql");
  q.bind(1, request_id);
  q.bind(2, expert_id);
  if (!q.executeStep()) {
    // Only a participant can be paid: never suggest recording what `pay` would refuse.
    const auto loan = lending::find_loan(db, request_id);
    if (!loan || std::none_of(loan->participants.begin(), loan->participants.end(),
                              [&](const auto& p) { return p.expert_id == expert_id; })) {
      throw make_error(ExitCode::data, "expert {} did not take part in the loan of request {}",
                       expert_id, request_id);
    }
    throw make_error(ExitCode::data,
                     "request {}: no compensation is recorded for expert {}; record it first "
                     "('lbib pay {} --expert {} --unit UNIT --status due')",
                     request_id, expert_id, request_id, expert_id);
  }
  const auto b = lending::get_borrower(db, r.borrower_id);
  const auto money = [&](std::int64_t amount) {
    return fmt::format("{} {}", amount, config.currency);
  };
  const std::string unit = q.getColumn(0).getString();
  const char* unit_label = unit == "hour"       ? N_("hour")
                           : unit == "half-day" ? N_("half day")
                                                : N_("full day");
  const std::string status = q.getColumn(7).getString();
  const char* status_label = status == "due"    ? N_("due")
                             : status == "paid" ? N_("paid")
                                                : N_("declined by the expert");

  output::Document d;
  d.language = lang;
  d.title = i18n::tr_format_in(lang, "{}: compensation claim, request {}", config.library_name,
                               request_id);
  d.date = text::format_date(today);
  d.page_words = {i18n::tr_in(lang, N_("Page")), i18n::tr_in(lang, N_("of"))};
  using Kind = output::Document::Part::Kind;
  const auto paragraph = [&](std::string text) {
    d.parts.push_back({Kind::paragraph, std::move(text), {}});
  };
  const auto heading = [&](const char* english) {
    d.parts.push_back({Kind::heading, i18n::tr_in(lang, english), {}});
  };
  paragraph(i18n::tr_format_in(
      lang,
      "This confirms that the expert below took part in a loan of experts by experience from {} "
      "to {}, and the compensation for it according to the region's guideline for user and "
      "relative participation.",
      config.library_name, b.display()));

  output::Table t{{"item", "value"}, {}};
  t.labels = {i18n::tr_in(lang, N_("Item")), i18n::tr_in(lang, N_("Value"))};
  const auto row = [&](const char* label, std::string value) {
    t.rows.push_back({i18n::tr_in(lang, label), std::move(value)});
  };
  row(N_("Expert"), fmt::format("{} ({})", e.profile.name, expert_id));
  row(N_("Request"), std::to_string(request_id));
  row(N_("Borrower"), b.display());
  row(N_("Loan date"), q.getColumn(10).getString());
  row(N_("Rate of the regional guideline"),
      i18n::tr_format_in(lang, "{} per {} (valid from {})", money(q.getColumn(2).getInt64()),
                         i18n::tr_in(lang, unit_label), q.getColumn(5).getString()));
  row(N_("Units"),
      fmt::format("{} × {}", q.getColumn(1).getInt64(), i18n::tr_in(lang, unit_label)));
  row(N_("Travel costs"), money(q.getColumn(3).getInt64()));
  row(N_("Amount"), money(q.getColumn(4).getInt64()));
  row(N_("Payer"), q.getColumn(6).getString());
  row(N_("Status"), q.getColumn(9).isNull() ? i18n::tr_in(lang, status_label)
                                            : fmt::format("{} {}", i18n::tr_in(lang, status_label),
                                                          q.getColumn(9).getString()));
  row(N_("Due from"), q.getColumn(8).getString());
  d.parts.push_back({Kind::table, {}, std::move(t), i18n::tr_in(lang, N_("The compensation"))});

  heading(N_("Tax and benefits"));
  paragraph(i18n::tr_in(
      lang, N_("Compensation is taxable income. The payer reports it to the Swedish Tax Agency "
               "(Skatteverket) and deducts tax as for other remuneration. Compensation can "
               "affect benefits such as sickness or activity compensation, housing allowance or "
               "income support: check with the Swedish Social Insurance Agency "
               "(Försäkringskassan) or the municipality before accepting it. It may be "
               "declined.")));
  heading(N_("Signatures"));
  paragraph(
      i18n::tr_in(lang, N_("Date and signature, the expert: ______________________________")));
  paragraph(i18n::tr_in(lang, N_("Date and signature, the payer: ______________________________")));
  return d;
}

}  // namespace lbib::followup
