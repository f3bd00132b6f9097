// SPDX-License-Identifier: MIT
#include "lbib/mailing/mailing.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "lbib/error.hpp"
#include "lbib/text/i18n.hpp"

namespace lbib::mailing {

std::string Mailing::recorded_text(const Recorded& r, std::string_view language) const {
  return i18n::tr_format_in(language, "recorded: {} recipients", r.recipients);
}

Composed compose(db::Database& db, const config::Config& config, const Mailing& mailing,
                 text::Date today, std::time_t now) {
  mailing.check(db, today);
  const Draft d = mailing.draft(db, config, today);
  mail::Message m;
  m.from = {config.library_name, config.library_email};
  m.to = {m.from};
  m.reply_to = d.reply_to;
  m.subject = mail::fill_line(d.subject_template, d.values, "mail." + d.template_name + "_subject");
  m.body = mail::fill(d.body_template, d.values, "mail." + d.template_name + "_body");
  m.date = now;
  const std::int64_t request = mailing.request();
  // The Message-IDs say what they are: lbib.dispatch-3.<time>.<nonce>@<the library's domain>.
  const std::string tag =
      request != 0 ? fmt::format("{}-{}", mailing.kind(), request) : std::string(mailing.kind());
  Composed out;
  if (!d.bcc.empty()) {
    out.messages = d.individual ? mail::individual(m, d.bcc, tag)
                                : mail::batches(m, d.bcc, config.bcc_batch_size, tag);
  }
  out.calls = d.calls;
  out.call_list = d.call_list;
  out.subject = m.subject;
  out.body = m.body;
  return out;
}

Recorded record(db::WriteTransaction& tx, const Mailing& mailing, const std::filesystem::path& eml,
                text::Date sent_on, const audit::Actor& actor) {
  const auto manifest = mail::read_manifest(eml, mailing.kind(), mailing.request());
  SQLite::Statement known(tx.sql(), "SELECT 1 FROM sent_message WHERE message_id = ?");
  known.bind(1, manifest.message_id);
  if (known.executeStep()) {
    return Recorded{true, 0, {}};
  }
  if (text::today() < sent_on) {
    throw make_error(ExitCode::data,
                     "date: {} is in the future; a message is recorded once sendmail accepted it "
                     "(today {} or earlier)",
                     text::format_date(sent_on), text::format_date(text::today()));
  }
  mailing.check(tx.database(), sent_on);
  return mailing.record(tx, manifest, sent_on, actor);
}

}  // namespace lbib::mailing
