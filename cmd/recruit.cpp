// SPDX-License-Identifier: MIT
#include <unistd.h>

#include <csignal>
#include <iostream>
#include <memory>
#include <optional>
#include <ostream>

#include "commands.hpp"
#include "freetext.hpp"
#include "lbib/error.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/experts/interview.hpp"
#include "lbib/lending/assignments.hpp"
#include "lbib/text/i18n.hpp"
#include "lbib/text/validate.hpp"
#include "options.hpp"

namespace lbib::cmd {
namespace {

struct RecruitOptions {
  std::string name, email;
  std::optional<std::string> phone, address, municipality, birth_year;
  std::string born_abroad = "unknown", care_professional = "unknown", retired = "unknown";
  std::string channel, consent_method = "oral";
  std::optional<std::string> interviewed, notes, consent_date;
  std::vector<std::string> experiences, consents;
  bool interactive = false;
  bool allow_duplicate = false;
  std::optional<std::int64_t> for_request;
  WishOptions wishes;
};

/// The interview on a terminal or over piped answers: questions on stderr (`err`), so stdout
/// keeps only the new id.
class TerminalConversation : public experts::Conversation {
 public:
  explicit TerminalConversation(std::ostream& err) : m_err(err) {}
  std::optional<std::string> ask(std::string_view prompt) override {
    m_err << prompt << std::flush;
    std::string line;
    if (!std::getline(std::cin, line)) {
      m_err << '\n';
      return std::nullopt;
    }
    return line;
  }
  void say(std::string_view text) override { m_err << text << '\n'; }

 private:
  std::ostream& m_err;
};

// What Ctrl-C says during the interview, translated before it can be pressed: a signal
// handler may only write(2) what is ready.
std::string g_interrupted;

extern "C" void interview_interrupted(int) {
  const ssize_t ignored = ::write(STDERR_FILENO, g_interrupted.data(), g_interrupted.size());
  (void)ignored;
  ::_exit(130);  // 128 + SIGINT, as a shell reports an interrupted command
}

/// Ctrl-C during the interview ends it with a line saying nothing was saved (nothing is
/// written before the last answer), instead of vanishing silently.
class InterruptNotice {
 public:
  explicit InterruptNotice(std::string_view language) {
    // In the interview's language.
    g_interrupted = std::string("\nlbib: ") +
                    i18n::tr_in(language, i18n::N_("interrupted; nothing was saved")) + "\n";
    struct sigaction action {};
    action.sa_handler = interview_interrupted;
    ::sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, &m_before);
  }
  ~InterruptNotice() { ::sigaction(SIGINT, &m_before, nullptr); }
  InterruptNotice(const InterruptNotice&) = delete;
  InterruptNotice& operator=(const InterruptNotice&) = delete;

 private:
  struct sigaction m_before {};
};

void run_recruit(const RecruitOptions& o, Context& ctx) {
  // A person without e-mail is reached by telephone or letter (issue #14): one of the three is
  // needed.
  const bool no_reach =
      o.email.empty() && o.phone.value_or("").empty() && o.address.value_or("").empty();
  const bool missing = o.name.empty() || no_reach || o.channel.empty() || o.consents.empty();
  // The interview by default when a person sits at the terminal and something is missing.
  const bool interactive = o.interactive || (missing && ::isatty(STDIN_FILENO) == 1);
  if (!interactive) {
    for (const auto& [value, option] : {std::pair{o.name.empty(), "--name"},
                                        {no_reach, "--email (or --phone or --address)"},
                                        {o.channel.empty(), "--channel"},
                                        {o.consents.empty(), "--consent"}}) {
      if (value) {
        throw make_error(ExitCode::usage,
                         "{} is required (or run the interview: lbib recruit --interactive)",
                         option);
      }
    }
  }
  const auto& config = ctx.config();
  experts::Recruitment r;
  experts::Profile& p = r.profile;
  p.name = o.name;
  p.email = text::trim_email(o.email);
  p.phone = o.phone;
  p.postal_address = o.address;
  p.municipality = o.municipality;
  if (o.birth_year) {
    p.birth_year = experts::parse_year("birth-year", *o.birth_year);
  }
  p.born_abroad = experts::parse_answer("born-abroad", o.born_abroad);
  p.care_professional = experts::parse_answer("care-professional", o.care_professional);
  p.retired = experts::parse_answer("retired", o.retired);
  p.channel = o.channel;
  p.interviewed_on = date_or(o.interviewed, "interviewed", text::today());
  p.notes = o.notes;
  for (const auto& spec : o.experiences) {
    r.experiences.push_back(experts::parse_experience(spec, config));
  }
  for (const auto& purpose : o.consents) {
    r.consents.push_back(experts::parse_purpose("consent", purpose));
  }
  r.consent_date = date_or(o.consent_date, "consent-date", p.interviewed_on);
  r.consent_method = experts::parse_method("consent-method", o.consent_method);
  {
    const auto w = o.wishes.changes();
    experts::Wishes& into = r.wishes;
    into.forms_wanted = w.forms_wanted.value_or(into.forms_wanted);
    into.forms_unwanted = w.forms_unwanted.value_or(into.forms_unwanted);
    into.areas_avoided = w.areas_avoided.value_or(into.areas_avoided);
    into.setting = w.setting.value_or(into.setting);
    into.max_requests = w.max_requests.value_or(into.max_requests);
    into.per = w.per.value_or(into.per);
    r.wishes_given = !w.empty();
  }
  r.allow_duplicate = o.allow_duplicate;
  // Opened when "Save?" is answered, not before: nothing touches the register until then.
  std::optional<db::Database> db;
  if (interactive) {
    const InterruptNotice notice(config.language);
    TerminalConversation conversation(ctx.err());
    // Duplicates are found before "Save?" is answered, so no answer is lost to them.
    r = experts::interview(conversation, config, r, [&](const experts::Profile& profile) {
      if (!db) {
        db.emplace(ctx.open_db());
      }
      const db::ReadTransaction snapshot(*db);
      return experts::find_duplicate(*db, profile);
    });
  }
  if (!db) {
    db.emplace(ctx.open_db());
  }

  db::WriteTransaction tx(*db);
  const auto id = o.for_request ? lending::recruit_for(tx, config, r, *o.for_request, ctx.actor())
                                : experts::recruit(tx, config, r, ctx.actor());
  tx.commit();
  ctx.out() << id << '\n';
}

}  // namespace

void setup_recruit(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<RecruitOptions>();
  auto* sub = app.add_subcommand("recruit", top_help("recruit"));
  sub->add_option("--name", o->name, "Full name (required unless --interactive)");
  sub->add_option("--email", o->email,
                  "E-mail address (requests are sent here; without one, --phone or --address is "
                  "needed)");
  sub->add_option("--phone", o->phone, "Telephone number");
  sub->add_option(
      "--address", o->address,
      "Postal address on one line, for a person reached by letter (no e-mail, no telephone)");
  sub->add_option("--municipality", o->municipality, "Home municipality");
  sub->add_option("--birth-year", o->birth_year, "Year of birth (YYYY)");
  sub->add_option("--born-abroad", o->born_abroad, "Born outside Sweden: yes, no or unknown")
      ->capture_default_str();
  sub->add_option("--care-professional", o->care_professional,
                  "Works or worked in care or social services: yes, no or unknown")
      ->capture_default_str();
  sub->add_option("--retired", o->retired, "Retired: yes, no or unknown")->capture_default_str();
  sub->add_option("--channel", o->channel,
                  "How the person found the library (see taxonomy.channels in the config)");
  sub->add_option("--interviewed", o->interviewed, "Date of the interview (default today)");
  sub->add_option(
      "--experience", o->experiences,
      "ROLE:AREA[:YEAR][:major|everyday], repeatable; e.g. relative:dementia:2019:major");
  TextOptions(*sub, ctx).add("--notes", o->notes, "Interview notes (free text)");
  sub->add_option("--consent", o->consents,
                  "Purposes consented to: register (required), mailing, website; repeatable or "
                  "comma-separated")
      ->delimiter(',');
  sub->add_option("--consent-date", o->consent_date,
                  "Date the consent was given (default the interview date)");
  sub->add_option("--consent-method", o->consent_method, "How consent was given: oral or written")
      ->capture_default_str();
  o->wishes.add(*sub, false);
  sub->add_option("--for-request", o->for_request,
                  "Recruit the person for this request only: their consent covers it, the "
                  "request's mailing invites them, and no other request is offered to them "
                  "until they join the library (lbib expert join)")
      ->check(id_check(Names::request));
  sub->add_flag("--allow-duplicate", o->allow_duplicate,
                "Record the person even if they look already registered (the same e-mail, "
                "phone, or name and birth year)");
  sub->add_flag("--interactive", o->interactive,
                "Walk through the interview: contact details, the experience map (every area, "
                "everyday ones too), consents. The default on a terminal when a required "
                "option is missing");
  sub->callback([o, &ctx] { run_recruit(*o, ctx); });
}

}  // namespace lbib::cmd
