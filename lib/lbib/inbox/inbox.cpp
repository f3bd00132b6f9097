// SPDX-License-Identifier: MIT
#include "lbib/inbox/inbox.hpp"

#include <SQLiteCpp/Statement.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>

#include "lbib/error.hpp"
#include "lbib/followup/questionnaire.hpp"
#include "lbib/lending/dispatch.hpp"

namespace lbib::inbox {
namespace fs = std::filesystem;

std::string_view to_string(Skip skip) {
  constexpr std::array<std::string_view, 9> keys{
      "too-large",     "malformed",      "auto-reply",       "forwarded", "not-a-reply",
      "not-an-answer", "unknown-sender", "answered-already", "refused"};
  return keys.at(static_cast<std::size_t>(skip));
}

std::optional<std::pair<std::string, std::int64_t>> parse_message_id(std::string_view id) {
  constexpr std::string_view prefix = "lbib.";
  if (id.substr(0, prefix.size()) != prefix) {
    return std::nullopt;
  }
  const auto at = id.find('@');
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  // lbib.<tag>.<time>.<nonce>@domain: the tag is everything before the last two dots.
  const std::string_view local = id.substr(prefix.size(), at - prefix.size());
  const auto nonce_dot = local.rfind('.');
  if (nonce_dot == std::string_view::npos || nonce_dot == 0) {
    return std::nullopt;
  }
  const auto time_dot = local.rfind('.', nonce_dot - 1);
  if (time_dot == std::string_view::npos || time_dot == 0) {
    return std::nullopt;
  }
  const std::string_view tag = local.substr(0, time_dot);
  // A request's messages end their tag in "-<request id>".
  const auto dash = tag.rfind('-');
  if (dash != std::string_view::npos && dash + 1 < tag.size()) {
    std::int64_t request = 0;
    const auto digits = tag.substr(dash + 1);
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), request);
    if (ec == std::errc{} && ptr == digits.data() + digits.size() && request > 0) {
      return std::make_pair(std::string(tag.substr(0, dash)), request);
    }
  }
  return std::make_pair(std::string(tag), std::int64_t{0});
}

namespace {

text::Date date_of(std::time_t t) {
  std::tm local{};
  localtime_r(&t, &local);
  return text::Date{std::chrono::year{local.tm_year + 1900},
                    std::chrono::month{static_cast<unsigned>(local.tm_mon + 1)},
                    std::chrono::day{static_cast<unsigned>(local.tm_mday)}};
}

lending::Answer answer_of(Says says) {
  switch (says) {
    case Says::yes:
      return lending::Answer::yes;
    case Says::no:
      return lending::Answer::no;
    case Says::unclear:
      break;
  }
  return lending::Answer::unclear;
}

}  // namespace

std::variant<Handled, Skip> handle_dispatch_reply(db::WriteTransaction& tx,
                                                  const config::Config& /*config*/,
                                                  const Reply& reply, text::Date today,
                                                  const audit::Actor& actor) {
  auto& db = tx.database();
  // The dispatch replied to, as recorded (a message composed but never recorded as sent, or
  // from another register, is not lbib's).
  SQLite::Statement dispatch(db.sql(),
                             "SELECT id, request_id FROM dispatch WHERE message_id = ? "
                             "AND channel = 'mail'");
  dispatch.bind(1, reply.message_id);
  if (!dispatch.executeStep() || dispatch.getColumn(1).getInt64() != reply.request) {
    return Skip::not_a_reply;
  }
  const std::int64_t dispatch_id = dispatch.getColumn(0).getInt64();
  // The sender: the registered e-mail of an expert this dispatch invited.
  SQLite::Statement who(
      db.sql(),
      "SELECT i.expert_id FROM invitation i JOIN living_expert e ON e.id = i.expert_id "
      "WHERE i.dispatch_id = ? AND e.email IS NOT NULL "
      "AND lower(e.email) = lower(?)");
  std::optional<std::int64_t> expert;
  for (const auto& sender : reply.mail.senders) {
    who.bind(1, dispatch_id);
    who.bind(2, sender);
    if (who.executeStep()) {
      expert = who.getColumn(0).getInt64();
    }
    who.reset();
    if (expert) {
      break;
    }
  }
  if (!expert) {
    return Skip::unknown_sender;
  }
  const auto answer = answer_of(first_words(reply.mail.text));
  // Dated by the message, within the invitation's day and today.
  text::Date on = reply.mail.date ? date_of(*reply.mail.date) : today;
  const auto invited = lending::invited_on(db, reply.request, *expert);
  if (invited && on < *invited) {
    on = *invited;
  }
  if (today < on) {
    on = today;
  }
  Handled h{reply.request, *expert,     std::string(lending::to_string(answer)), on, false,
            "answer",      std::nullopt};
  if (const auto known = lending::find_answer(db, reply.request, *expert)) {
    const bool later_known = on < known->answered_on;
    const bool clear_stands =
        answer == lending::Answer::unclear && known->answer != lending::Answer::unclear;
    const bool same = known->answer == answer && known->answered_on == on;
    if (later_known || clear_stands || same) {
      h.answer = std::string(lending::to_string(known->answer));
      h.on = known->answered_on;
      h.already = true;
      return h;
    }
  }
  lending::record_answer(tx, reply.request, *expert, answer, on, lending::AnswerChannel::mail,
                         actor);
  return h;
}

std::variant<Handled, Skip> handle_questionnaire_reply(db::WriteTransaction& tx,
                                                       const config::Config& config,
                                                       const Reply& reply, text::Date today,
                                                       const audit::Actor& actor) {
  auto& db = tx.database();
  // The questionnaire (or its reminder) replied to, as recorded: one message to one expert.
  const bool reminder = reply.kind == followup::questionnaire_reminder_kind;
  SQLite::Statement sent(db.sql(), reminder ? "SELECT expert_id, sent_on FROM questionnaire "
                                              "WHERE reminder_message_id = ? AND request_id = ?"
                                            : "SELECT expert_id, sent_on FROM questionnaire "
                                              "WHERE message_id = ? AND request_id = ?");
  sent.bind(1, reply.message_id);
  sent.bind(2, reply.request);
  if (!sent.executeStep()) {
    return Skip::not_a_reply;
  }
  const std::int64_t expert = sent.getColumn(0).getInt64();
  const text::Date sent_on = text::parse_date("sent_on", sent.getColumn(1).getString());
  // The sender: that expert's registered e-mail.
  SQLite::Statement who(db.sql(),
                        "SELECT 1 FROM living_expert WHERE id = ? "
                        "AND email IS NOT NULL AND lower(email) = lower(?)");
  const bool known = std::any_of(reply.mail.senders.begin(), reply.mail.senders.end(),
                                 [&](const std::string& sender) {
                                   who.bind(1, expert);
                                   who.bind(2, sender);
                                   const bool found = who.executeStep();
                                   who.reset();
                                   return found;
                                 });
  if (!known) {
    return Skip::unknown_sender;
  }
  if (followup::questionnaire_answered(db, reply.request, expert)) {
    return Skip::answered_already;
  }
  // Dated by the message, within the day the questionnaire was sent and today.
  text::Date on = reply.mail.date ? date_of(*reply.mail.date) : today;
  if (on < sent_on) {
    on = sent_on;
  }
  if (today < on) {
    on = today;
  }
  followup::QuestionAnswers answers;
  for (const auto& line : numbered_yes_no(reply.mail.text, config.expert_questions.size())) {
    answers.emplace_back(config.expert_questions.at(line.number - 1).key, line.word);
  }
  followup::record_questionnaire_reply(tx, config, reply.request, expert, answers, on, today,
                                       actor);
  return Handled{reply.request,
                 expert,
                 "unclear",
                 on,
                 false,
                 "questionnaire",
                 static_cast<std::int64_t>(answers.size())};
}

const std::vector<Kind>& kinds() {
  static const std::vector<Kind> table{
      {lending::dispatch_kind, handle_dispatch_reply},
      {followup::questionnaire_kind, handle_questionnaire_reply},
      {followup::questionnaire_reminder_kind, handle_questionnaire_reply},
  };
  return table;
}

std::string seen_name(std::string_view name) {
  const auto info = name.rfind(":2,");
  std::string base(info == std::string_view::npos ? name : name.substr(0, info));
  std::string flags(info == std::string_view::npos ? std::string_view() : name.substr(info + 3));
  if (flags.find('S') == std::string::npos) {
    flags += 'S';
    std::sort(flags.begin(), flags.end());
  }
  return base + ":2," + flags;
}

namespace {

// A message file of the Maildir, and whether it is in new/.
struct Entry {
  fs::path path;
  std::string name;
  bool in_new = false;
};

std::vector<Entry> entries(const fs::path& maildir) {
  std::vector<Entry> out;
  for (const char* sub : {"new", "cur"}) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(maildir / sub, ec)) {
      const std::string name = e.path().filename().string();
      // Only files delivered there: no dot-file, folder or symbolic link (never followed).
      std::error_code entry_ec;  // a file that vanished or cannot be looked at is passed by
      if (name.empty() || name[0] == '.' || e.is_symlink(entry_ec) ||
          !e.is_regular_file(entry_ec)) {
        continue;
      }
      if (std::string_view(sub) == "cur") {
        const auto info = name.rfind(":2,");
        const std::string flags = info == std::string::npos ? "" : name.substr(info + 3);
        if (flags.find('S') != std::string::npos || flags.find('T') != std::string::npos) {
          continue;  // seen (handled, or read by a person) or trashed
        }
      }
      out.push_back({e.path(), name, std::string_view(sub) == "new"});
    }
    if (ec) {
      throw make_error(ExitCode::io, "{}: cannot read the folder: {}", (maildir / sub).string(),
                       ec.message());
    }
  }
  // Maildir names begin with the time of delivery: older replies first.
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
  return out;
}

// The file's content, or nothing when it is larger than `limit` (not read at all).
std::optional<std::string> read_limited(const fs::path& path, std::uintmax_t limit) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    throw make_error(ExitCode::io, "{}: cannot open: {}", path.string(), std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || static_cast<std::uintmax_t>(st.st_size) > limit) {
    ::close(fd);
    return std::nullopt;
  }
  std::string data(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < data.size()) {
    const auto n = ::read(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  data.resize(done);
  return data;
}

// Which lbib message `mail` replies to: the first of its references that is an lbib
// Message-ID.
std::optional<std::pair<std::string, std::pair<std::string, std::int64_t>>> replied_to(
    const Mail& mail) {
  for (const auto& id : mail.references) {
    if (auto parsed = parse_message_id(id)) {
      return std::make_pair(id, *parsed);
    }
  }
  return std::nullopt;
}

// Handles one parsed message inside the run's transaction, in a savepoint of its own.
std::variant<Handled, Skip> handle(db::WriteTransaction& tx, const config::Config& config,
                                   const Mail& mail, text::Date today, const audit::Actor& actor) {
  if (mail.auto_reply) {
    return Skip::auto_reply;
  }
  if (mail.forwarded) {
    return Skip::forwarded;
  }
  const auto target = replied_to(mail);
  if (!target) {
    return Skip::not_a_reply;
  }
  // (Not a structured binding: clang 14 cannot capture one in the lambda below.)
  const std::string& message_id = target->first;
  const std::string& kind_name = target->second.first;
  const auto& table = kinds();
  const auto kind = std::find_if(table.begin(), table.end(),
                                 [&kind_name](const Kind& k) { return k.kind == kind_name; });
  if (kind == table.end()) {
    return Skip::not_an_answer;
  }
  if (mail.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Skip::malformed;
  }
  const Reply reply{mail, kind_name, target->second.second, message_id};
  tx.sql().exec("SAVEPOINT inbox_message");
  try {
    auto outcome = kind->handle(tx, config, reply, today, actor);
    tx.sql().exec("RELEASE inbox_message");
    return outcome;
  } catch (const Error&) {
    // lbib's own rules refused it: nothing of this message stays, the run goes on.
    tx.sql().exec("ROLLBACK TO inbox_message");
    tx.sql().exec("RELEASE inbox_message");
    return Skip::refused;
  }
}

}  // namespace

Result read_maildir(db::Database& db, const config::Config& config, const fs::path& maildir,
                    text::Date today, const audit::Actor& actor) {
  std::error_code ec;
  if (!fs::is_directory(maildir / "new", ec) || !fs::is_directory(maildir / "cur", ec)) {
    throw make_error(ExitCode::no_input,
                     "{} is not a Maildir: it needs the folders new/ and cur/ (as getmail, "
                     "fetchmail, mbsync or a local mail server deliver into)",
                     maildir.string());
  }
  Result result;
  std::vector<Entry> handled;
  db::WriteTransaction tx(db);
  for (const auto& entry : entries(maildir)) {
    ++result.messages;
    const auto raw = read_limited(entry.path, config.inbox_max_message_bytes);
    if (!raw) {
      ++result.skipped[Skip::too_large];
      continue;
    }
    const auto mail = parse(*raw);
    if (!mail) {
      ++result.skipped[Skip::malformed];
      continue;
    }
    const auto outcome = handle(tx, config, *mail, today, actor);
    if (const auto* skip = std::get_if<Skip>(&outcome)) {
      ++result.skipped[*skip];
      continue;
    }
    result.recorded.push_back(std::get<Handled>(outcome));
    handled.push_back(entry);
  }
  tx.commit();
  // Marked after the commit: a crash in between leaves a message unmarked, and reading it
  // again finds its answer recorded and changes nothing.
  for (const auto& entry : handled) {
    const fs::path target = maildir / "cur" / seen_name(entry.name);
    fs::rename(entry.path, target, ec);
    if (ec) {
      result.unmarked.push_back(entry.name);
    }
  }
  return result;
}

}  // namespace lbib::inbox
