// SPDX-License-Identifier: MIT
// The experts' questionnaire and the mail to the borrower (issue #15): individual messages,
// recorded once, reminded once; the rules of answers.
#include <SQLiteCpp/Statement.h>

#include "helpers.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/followup/payments.hpp"
#include "lbib/followup/questionnaire.hpp"
#include "lbib/inbox/inbox.hpp"
#include "lbib/lending/borrowers.hpp"
#include "lbib/lending/loans.hpp"
#include "lbib/lending/requests.hpp"
#include "lbib/mail/outbox.hpp"
#include "lbib/mailing/mailing.hpp"
#include "register.hpp"

namespace followup = lbib::followup;
namespace lending = lbib::lending;
namespace mailing = lbib::mailing;
namespace mail = lbib::mail;
namespace db = lbib::db;
using lbib::ExitCode;
using lbib::testing::actor;
using lbib::testing::cfg;
using lbib::testing::date;

namespace {

const auto k_today = date("2021-06-01");

// A request whose loan with experts 1 and 2 (of 1-3) was carried out on 2021-03-20.
struct Loaned : lbib::testing::Register {
  std::int64_t id = 0;
  std::vector<std::int64_t> experts;

  Loaned() {
    for (const char* name : {"Alfa Ett", "Beta Två", "Gamma Tre"}) {
      experts.push_back(expert({.name = name, .email = std::string(name, 4) + "@example.se"}));
    }
    id = request("2021-03-01");
    mailed(id, experts, "2021-03-02");  // the pre-meeting; mailed to all three on 2021-03-03
    db::WriteTransaction tx(d);
    lending::LoanInput in;
    in.carried_out_on = date("2021-03-20");
    in.experts = {experts[0], experts[1]};
    lending::record_loan(tx, cfg(), id, in, k_today, actor);
    tx.commit();
  }

  // Records `m` as sent on `on`, as `mailing::record` does after reading the manifest.
  mailing::Recorded record(const mailing::Mailing& mailing, const mail::Outgoing& m,
                           lbib::text::Date on) {
    db::WriteTransaction tx(d);
    mailing.check(d, on);
    const mail::Manifest manifest{std::string(mailing.kind()), id, m.message.message_id, m.experts};
    auto r = mailing.record(tx, manifest, on, actor);
    tx.commit();
    return r;
  }

  void answer(std::int64_t who, const followup::QuestionAnswers& a) {
    db::WriteTransaction tx(d);
    followup::record_expert_answers(tx, cfg(), id, who, a, date("2021-04-02"), k_today, actor);
    tx.commit();
  }
};

}  // namespace

TEST_CASE("individual messages go to one address each, never in Bcc") {
  mail::Message m;
  m.from = {"Biblioteket", "lib@example.se"};
  m.to = {m.from};
  m.subject = "S";
  m.body = "B";
  const std::vector<std::pair<std::int64_t, std::string>> to{
      {1, "a@example.se"}, {2, "b@example.se"}, {3, "A@Example.SE"}};
  const auto out = mail::individual(m, to, "questionnaire-7");
  REQUIRE(out.size() == 2);
  for (const auto& o : out) {
    CHECK(o.message.bcc.empty());
    REQUIRE(o.message.to.size() == 1);
    CHECK(o.message.message_id.starts_with("lbib.questionnaire-7."));
  }
  CHECK(out[0].message.to[0].email == "a@example.se");
  CHECK(out[0].experts == std::vector<std::int64_t>{1, 3});
  CHECK(out[1].message.to[0].email == "b@example.se");
  CHECK(out[1].experts == std::vector<std::int64_t>{2});
  CHECK(out[0].message.message_id != out[1].message.message_id);
  CHECK(mail::preview(out[1]).find("To: b@example.se (ids 2)") != std::string::npos);
}

TEST_CASE("the questionnaire goes to each participant alone, once, and is reminded once") {
  Loaned lib;
  const followup::Questionnaire first(lib.id, followup::Round::first);
  const followup::Questionnaire reminder(lib.id, followup::Round::reminder);
  CHECK_LBIB_ERROR(mailing::compose(lib.d, cfg(), first, date("2021-03-19"), 0), ExitCode::data,
                   "after the loan");
  const auto c = mailing::compose(lib.d, cfg(), first, date("2021-03-21"), 0);
  REQUIRE(c.messages.size() == 2);  // the participants, not the third expert invited
  for (const auto& m : c.messages) {
    CHECK(m.message.bcc.empty());
    REQUIRE(m.experts.size() == 1);
    CHECK(m.message.to[0].email != "Gamm@example.se");
    CHECK(m.message.body.find("1. Hur upplevde du uppdraget?") != std::string::npos);
  }
  CHECK(lib.record(first, c.messages[0], date("2021-03-21")).recipients == 1);
  // Recording it again for the same expert is refused, not doubled.
  CHECK(lib.record(first, c.messages[0], date("2021-03-22")).refused == c.messages[0].experts);
  CHECK(mailing::compose(lib.d, cfg(), first, date("2021-03-22"), 0).messages.size() == 1);
  lib.record(first, c.messages[1], date("2021-03-22"));
  CHECK_LBIB_ERROR(mailing::compose(lib.d, cfg(), first, date("2021-03-23"), 0), ExitCode::data,
                   "has had the questionnaire already");

  // Reminded questionnaire_days (14) after it was sent, only to those who answered nothing.
  CHECK_LBIB_ERROR(mailing::compose(lib.d, cfg(), reminder, date("2021-04-03"), 0), ExitCode::data,
                   "no questionnaire to remind");
  lib.answer(lib.experts[0], {{"how-it-went", "Bra"}});
  const auto r = mailing::compose(lib.d, cfg(), reminder, date("2021-04-05"), 0);
  REQUIRE(r.messages.size() == 1);
  CHECK(r.messages[0].experts == std::vector<std::int64_t>{lib.experts[1]});
  CHECK(r.messages[0].message.message_id.starts_with("lbib.questionnaire-reminder-" +
                                                     std::to_string(lib.id) + "."));
  CHECK(lib.record(reminder, r.messages[0], date("2021-04-05")).recipients == 1);
  CHECK(lib.record(reminder, r.messages[0], date("2021-04-06")).recipients == 0);
  CHECK_LBIB_ERROR(mailing::compose(lib.d, cfg(), reminder, date("2022-01-01"), 0), ExitCode::data,
                   "no questionnaire to remind");
  CHECK(lib.d.sql().execAndGet("SELECT count(*) FROM sent_message").getInt() >= 3);
}

TEST_CASE("a reply to the questionnaire by mail answers it, and its reminder goes to the others") {
  namespace inbox = lbib::inbox;
  Loaned lib;
  const followup::Questionnaire first(lib.id, followup::Round::first);
  const auto c = mailing::compose(lib.d, cfg(), first, date("2021-03-21"), 0);
  REQUIRE(c.messages.size() == 2);
  for (const auto& m : c.messages) {
    lib.record(first, m, date("2021-03-21"));
  }
  const auto& to_alfa =
      c.messages[0].message.to[0].email == "Alfa@example.se" ? c.messages[0] : c.messages[1];
  const auto& to_beta = &to_alfa == &c.messages[0] ? c.messages[1] : c.messages[0];
  const auto reply = [&lib](const std::string& kind, const std::string& message_id,
                            const std::string& sender, const std::string& text) {
    inbox::Mail mail;
    mail.senders = {sender};
    mail.text = text;
    mail.date = 1616673600;  // 2021-03-25 12:00 UTC
    db::WriteTransaction tx(lib.d);
    auto outcome = inbox::handle_questionnaire_reply(
        tx, cfg(), inbox::Reply{mail, kind, lib.id, message_id}, k_today, actor);
    tx.commit();
    return outcome;
  };
  const auto skip = [](const std::variant<inbox::Handled, inbox::Skip>& v) {
    return std::get<inbox::Skip>(v);
  };
  // Another expert's address, or a message never recorded, is not this questionnaire's answer.
  CHECK(skip(reply("questionnaire", to_alfa.message.message_id, "Beta@example.se", "Ja")) ==
        inbox::Skip::unknown_sender);
  CHECK(skip(reply("questionnaire", "lbib.questionnaire-1.1.00@example.se", "Alfa@example.se",
                   "Ja")) == inbox::Skip::not_a_reply);
  // The reminder's kind names the reminder's Message-ID, not the first message's.
  CHECK(skip(reply("questionnaire-reminder", to_alfa.message.message_id, "Alfa@example.se",
                   "Ja")) == inbox::Skip::not_a_reply);
  const auto handled = std::get<inbox::Handled>(reply(
      "questionnaire", to_alfa.message.message_id, "ALFA@example.se", "1. Bra.\n2. ja\n3 Nej\n"));
  CHECK(handled.expert == lib.experts[0]);
  CHECK(handled.kind == "questionnaire");
  CHECK(handled.answer == "unclear");
  CHECK(handled.on == date("2021-03-25"));
  CHECK(handled.questions == 2);
  CHECK(followup::questionnaire_answered(lib.d, lib.id, lib.experts[0]));
  CHECK(lib.d.sql()
            .execAndGet("SELECT group_concat(question || '=' || answer, ' ') FROM "
                        "questionnaire_answer ORDER BY rowid")
            .getString() == "listened-to=ja feedback=nej");
  // A second reply changes nothing.
  CHECK(skip(reply("questionnaire", to_alfa.message.message_id, "Alfa@example.se", "4. ja\n")) ==
        inbox::Skip::answered_already);
  CHECK_LBIB_ERROR(
      [&] {
        db::WriteTransaction tx(lib.d);
        followup::record_questionnaire_reply(tx, cfg(), lib.id, lib.experts[0], {},
                                             date("2021-03-26"), k_today, actor);
      }(),
      ExitCode::data, "answered the questionnaire already");

  // The reminder goes to Beta alone; Beta's reply to it answers Beta's questionnaire.
  const followup::Questionnaire reminder(lib.id, followup::Round::reminder);
  const auto r = mailing::compose(lib.d, cfg(), reminder, date("2021-04-05"), 0);
  REQUIRE(r.messages.size() == 1);
  CHECK(r.messages[0].experts == std::vector<std::int64_t>{lib.experts[1]});
  lib.record(reminder, r.messages[0], date("2021-04-05"));
  const auto beta = std::get<inbox::Handled>(reply(
      "questionnaire-reminder", r.messages[0].message.message_id, "Beta@example.se", "Tack!"));
  CHECK(beta.on == date("2021-03-25"));  // dated by the message
  CHECK(beta.questions == 0);
  CHECK(skip(reply("questionnaire", to_beta.message.message_id, "Beta@example.se", "Ja")) ==
        inbox::Skip::answered_already);

  const auto t = followup::expert_questionnaires(lib.d, lib.experts[0]);
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0][4] == lbib::output::Value{std::string("2021-03-25")});
  CHECK(std::get<std::string>(std::get<lbib::output::Term>(t.rows[0][5]).key) == "mail");
  CHECK(followup::expert_questionnaires(lib.d, lib.experts[2]).rows.empty());
}

TEST_CASE("an expert's answers: configured questions, once each, by those who took part") {
  Loaned lib;
  CHECK_LBIB_ERROR(lib.answer(lib.experts[2], {{"how-it-went", "Bra"}}), ExitCode::data,
                   "did not take part");
  CHECK_LBIB_ERROR(lib.answer(lib.experts[0], {{"nope", "Bra"}}), ExitCode::data,
                   "is not a question of followup.expert_questions");
  CHECK_LBIB_ERROR(lib.answer(lib.experts[0], {{"feedback", "Ja"}, {"feedback", "Nej"}}),
                   ExitCode::data, "given twice");
  CHECK_LBIB_ERROR(lib.answer(lib.experts[0], {{"feedback", ""}}), ExitCode::data, "is empty");
  CHECK_LBIB_ERROR(lib.answer(lib.experts[0], {}), ExitCode::usage, "at least one --answer");
  lib.answer(lib.experts[0], {{"feedback", "Ja"}, {"listened-to", "Ja"}});
  CHECK_LBIB_ERROR(lib.answer(lib.experts[0], {{"feedback", "Nej"}}), ExitCode::data,
                   "answered 'feedback'");
  lib.answer(lib.experts[0], {{"compensation", "Inte än"}});
  CHECK(lib.d.sql().execAndGet("SELECT count(*) FROM questionnaire_answer").getInt() == 3);

  const auto q = cfg().expert_questions;
  CHECK_LBIB_ERROR(
      followup::check_question_answers(q, "x", {{"feedback", "Ja"}}, date("2021-03-19"),
                                       date("2021-03-20"), k_today),
      ExitCode::data, "before the loan");
  CHECK_LBIB_ERROR(
      followup::check_question_answers(q, "x", {{"feedback", "Ja"}}, date("2021-06-02"),
                                       date("2021-03-20"), k_today),
      ExitCode::data, "in the future");
}

TEST_CASE("a mail to the borrower goes to its contact person alone, each kind once") {
  Loaned lib;
  const followup::BorrowerMail conditions(lib.id, followup::BorrowerMailKind::conditions);
  CHECK(conditions.kind() == "borrower-conditions");
  const auto c = mailing::compose(lib.d, cfg(), conditions, date("2021-03-02"), 0);
  REQUIRE(c.messages.size() == 1);
  CHECK(c.messages[0].message.to[0].email == "kim@example.se");
  CHECK(c.messages[0].message.bcc.empty());
  CHECK(c.messages[0].experts == std::vector<std::int64_t>{lib.borrower});
  CHECK(c.messages[0].message.body.find("2. Minst 2 erfarna") != std::string::npos);
  CHECK(lib.record(conditions, c.messages[0], date("2021-03-02")).recipients == 1);
  CHECK(lib.record(conditions, c.messages[0], date("2021-03-03")).refused.size() == 1);
  CHECK_LBIB_ERROR(mailing::compose(lib.d, cfg(), conditions, date("2021-03-04"), 0),
                   ExitCode::data, "sent this mail on 2021-03-02 already");
  CHECK_LBIB_ERROR(
      mailing::compose(lib.d, cfg(),
                       followup::BorrowerMail(lib.id, followup::BorrowerMailKind::summary),
                       date("2021-04-01"), 0),
      ExitCode::data, "follow-up meeting is not recorded yet");
  CHECK_LBIB_ERROR(
      mailing::compose(lib.d, cfg(),
                       followup::BorrowerMail(lib.id, followup::BorrowerMailKind::survey),
                       date("2021-04-01"), 0),
      ExitCode::data, "once the loan is finished");
  CHECK_LBIB_ERROR(followup::parse_borrower_mail_kind("kind", "thanks"), ExitCode::data,
                   "use one of: conditions, feedback-reminder, summary, survey");
}

TEST_CASE("the default configuration asks the experts and the borrower") {
  CHECK(cfg().expert_questions.size() == 4);
  CHECK(cfg().borrower_questions.size() == 3);
  CHECK(cfg().reminders.questionnaire == 14);
  for (const auto& [language, t] : cfg().mail) {
    CHECK_FALSE(t.questionnaire_body.empty());
    CHECK_FALSE(t.conditions_body.empty());
    CHECK_FALSE(t.borrower_survey_subject.empty());
  }
}

TEST_CASE("the claim page and the payments per payer") {
  Loaned lib;
  CHECK_LBIB_ERROR(followup::claim_document(lib.d, cfg(), lib.id, lib.experts[0], k_today),
                   ExitCode::data, "no compensation is recorded for expert");
  {
    db::WriteTransaction tx(lib.d);
    followup::record_payment(tx, cfg(), lib.id,
                             {lib.experts[0], followup::Unit::half_day, 2, 120, std::nullopt,
                              followup::PaymentStatus::due, date("2021-03-20"), std::nullopt},
                             actor);
    followup::record_payment(tx, cfg(), lib.id,
                             {lib.experts[1], followup::Unit::hour, 3, 0, "Kommunen",
                              followup::PaymentStatus::paid, date("2021-03-25"), std::nullopt},
                             actor);
    tx.commit();
  }
  const auto doc = followup::claim_document(lib.d, cfg(), lib.id, lib.experts[0], k_today);
  CHECK(doc.language == "sv");
  std::string all;
  for (const auto& part : doc.parts) {
    all += part.text + "\n";
    for (const auto& row : part.table.rows) {
      for (const auto& cell : row) {
        if (const auto* s = std::get_if<std::string>(&cell)) {
          all += *s + "\n";
        }
      }
    }
  }
  for (const char* text : {"Alfa Ett (1)", "500 SEK", "1120 SEK", "120 SEK", "Region Exempel",
                           "2021-03-20", "Skatteverket", "Försäkringskassan"}) {
    CHECK_MESSAGE(all.find(text) != std::string::npos, text);
  }
  const auto by_payer = followup::payments_by_payer(lib.d, false);
  REQUIRE(by_payer.rows.size() == 2);
  CHECK(std::get<std::string>(by_payer.rows[0][0]) == "Kommunen");
  CHECK(std::get<std::int64_t>(by_payer.rows[0][2]) == 450);
  CHECK(std::get<std::int64_t>(by_payer.rows[0][4]) == 450);
  CHECK(std::get<std::int64_t>(by_payer.rows[1][3]) == 1120);
  CHECK(followup::payments_by_payer(lib.d, true).rows.size() == 1);
}
