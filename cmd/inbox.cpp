// SPDX-License-Identifier: MIT
// lbib inbox: replies to lbib's own messages read from a Maildir (issue #15).
#include "lbib/inbox/inbox.hpp"

#include <memory>
#include <ostream>

#include "commands.hpp"
#include "lbib/lending/views.hpp"
#include "lbib/text/i18n.hpp"
#include "options.hpp"

namespace lbib::cmd {
namespace {

using i18n::N_;

struct InboxOptions {
  std::string maildir, format;
};

std::string skip_label(inbox::Skip skip) {
  switch (skip) {
    case inbox::Skip::too_large:
      return i18n::tr(N_("too large (mail.inbox_max_message_bytes)"));
    case inbox::Skip::malformed:
      return i18n::tr(N_("malformed, or no text to read"));
    case inbox::Skip::auto_reply:
      return i18n::tr(N_("automatic reply"));
    case inbox::Skip::forwarded:
      return i18n::tr(N_("forwarded"));
    case inbox::Skip::not_a_reply:
      return i18n::tr(N_("not a reply to lbib's mail"));
    case inbox::Skip::not_an_answer:
      return i18n::tr(N_("a reply to mail that asks for no answer"));
    case inbox::Skip::unknown_sender:
      return i18n::tr(N_("unknown sender"));
    case inbox::Skip::answered_already:
      return i18n::tr(N_("the questionnaire was answered already: read it"));
    case inbox::Skip::refused:
      return i18n::tr(N_("refused by the register"));
  }
  return {};
}

void run_inbox(const InboxOptions& o, Context& ctx) {
  const auto format = output::parse_format(o.format);
  auto db = ctx.open_db();
  const auto result = inbox::read_maildir(db, ctx.config(), o.maildir, text::today(), ctx.actor());
  output::Record rec;
  std::int64_t recorded = 0;
  output::Table answers{
      {"kind", "request", "expert", "answer", "answered_on", "changed", "questions"}, {}};
  for (const auto& h : result.recorded) {
    recorded += h.already ? 0 : 1;
    const std::string kind_label = h.kind == "questionnaire" ? i18n::tr(N_("questionnaire"))
                                                             : i18n::tr(N_("answer to a request"));
    answers.rows.push_back({output::Term{h.kind, kind_label}, h.request, h.expert,
                            lending::answer_term(h.answer), text::format_date(h.on), !h.already,
                            h.questions ? output::Value{*h.questions} : output::Value{}});
  }
  output::Table skipped{{"reason", "messages"}, {}};
  for (const auto& [skip, count] : result.skipped) {
    skipped.rows.push_back({output::Term{std::string(inbox::to_string(skip)), skip_label(skip)},
                            static_cast<std::int64_t>(count)});
  }
  rec.fields = {{"messages", static_cast<std::int64_t>(result.messages)},
                {"recorded", recorded},
                {"unchanged", static_cast<std::int64_t>(result.recorded.size()) - recorded}};
  rec.sections = {{"answers", std::move(answers)}, {"skipped", std::move(skipped)}};
  if (format == output::Format::table || format == output::Format::md) {
    // For a person, only the sections with something in them; JSON and CSV keep their shape.
    std::erase_if(rec.sections, [](const auto& s) { return s.second.rows.empty(); });
  }
  output::write(ctx.out(), format, rec);
  for (const auto& name : result.unmarked) {
    ctx.err() << "lbib: warning: "
              << i18n::tr_format(
                     "{}: recorded, but could not be marked seen; reading it again "
                     "changes nothing",
                     name)
              << '\n';
  }
}

}  // namespace

void setup_inbox(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<InboxOptions>();
  auto* inbox = app.add_subcommand("inbox", top_help("inbox"));
  inbox->add_option("MAILDIR", o->maildir, "The Maildir (with new/ and cur/)")->required();
  add_format_option(*inbox, o->format);
  inbox->callback([o, &ctx] { run_inbox(*o, ctx); });
}

}  // namespace lbib::cmd
