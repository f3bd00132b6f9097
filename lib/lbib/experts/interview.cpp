// SPDX-License-Identifier: MIT
#include "lbib/experts/interview.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "lbib/error.hpp"
#include "lbib/text/collate.hpp"
#include "lbib/text/i18n.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::experts {

using i18n::N_;
namespace {

constexpr int max_attempts = 5;

/// Thrown by Interview::ask when the answer is "<": the step before is asked again.
struct GoBack {};

/// The interview's own words in the configured language, from the one catalogue (po/sv.po).
class Words {
 public:
  explicit Words(const config::Config& config) : m_config(config) {}
  std::string operator()(const char* english) const {
    return i18n::tr_in(m_config.language, english);
  }
  const std::string& language() const { return m_config.language; }

 private:
  const config::Config& m_config;
};

/// An answer of j/ja/y/yes or n/nej/no, in any case; nullopt for anything else.
std::optional<bool> yes_or_no(std::string_view folded) {
  if (folded == "j" || folded == "ja" || folded == "y" || folded == "yes") {
    return true;
  }
  if (folded == "n" || folded == "nej" || folded == "no") {
    return false;
  }
  return std::nullopt;
}

/// A year, or nothing for an empty answer.
std::function<std::optional<int>(const std::string&)> optional_year(const char* field) {
  return [field](const std::string& a) -> std::optional<int> {
    if (a.empty()) {
      return std::nullopt;
    }
    return parse_year(field, a);
  };
}

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) {
    return {};
  }
  return std::string(s.substr(first, s.find_last_not_of(" \t\r") - first + 1));
}

class Interview {
 public:
  Interview(Conversation& c, const config::Config& config)
      : m_c(c), m_config(config), m_w(config) {}

  /// Asks `prompt` until `parse` accepts the answer (it throws lbib::Error to refuse one).
  template <typename T>
  T ask(const std::string& prompt, const std::function<T(const std::string&)>& parse) {
    for (int attempt = 0; attempt < max_attempts; ++attempt) {
      const auto line = m_c.ask(prompt);
      if (!line) {
        throw make_error(ExitCode::usage,
                         "the interview ended before it was finished; nothing was saved");
      }
      if (trim(*line) == "<") {
        throw GoBack{};
      }
      try {
        return parse(trim(*line));
      } catch (const Error& e) {
        m_c.say(fmt::format("  {}", e.what()));
      }
    }
    throw make_error(ExitCode::usage, "no valid answer after {} attempts; nothing was saved",
                     max_attempts);
  }

  bool yes_no(const std::string& prompt, std::optional<bool> by_default) {
    const std::string hint{!by_default   ? m_w(N_("[y/n]"))
                           : *by_default ? m_w(N_("[Y/n]"))
                                         : m_w(N_("[y/N]"))};
    return ask<bool>(prompt + " " + hint + " ", [&](const std::string& a) {
      const auto s = text::fold_case(a);
      if (s.empty() && by_default) {
        return *by_default;
      }
      if (const auto yes = yes_or_no(s)) {
        return *yes;
      }
      throw make_error(ExitCode::usage, "{}", m_w(N_("answer y or n")));
    });
  }

  /// One term of `terms`, by number, key or label.
  const config::Term* term(std::string_view answer, const std::vector<config::Term>& terms) {
    const auto s = text::fold_case(trim(answer));
    for (std::size_t i = 0; i < terms.size(); ++i) {
      if (s == std::to_string(i + 1) || s == terms[i].key || s == text::fold_case(terms[i].sv) ||
          s == text::fold_case(terms[i].en)) {
        return &terms[i];
      }
    }
    return nullptr;
  }

  std::string choices(const std::vector<config::Term>& terms) {
    std::string out;
    for (std::size_t i = 0; i < terms.size(); ++i) {
      out += fmt::format("{}{}) {}", i == 0 ? "" : "  ", i + 1, m_config.label(terms[i]));
    }
    return out;
  }

  std::string name() {
    return ask<std::string>(std::string(m_w(N_("Name: "))), [](const std::string& a) {
      text::check_line("name", a, text::limits::name);
      if (a.empty()) {
        throw make_error(ExitCode::data, "name: required");
      }
      return a;
    });
  }

  /// The e-mail address; empty for a person reached by telephone or letter, as --phone alone
  /// on the command line (check_reachable: the telephone is then required).
  std::string email() {
    return ask<std::string>(
        std::string(m_w(N_("E-mail (empty = none, reached by telephone or letter): "))),
        [](const std::string& a) {
          if (!a.empty()) {
            text::check_email("email", a);
          }
          return a;
        });
  }

  /// The telephone number: optional beside an e-mail address; without one, a person without
  /// a telephone too is reached by letter (postal_address asks the address).
  std::optional<std::string> phone(const Profile& p) {
    if (!p.email.empty()) {
      return optional_line(N_("Telephone"), "phone", text::limits::phone);
    }
    return ask<std::optional<std::string>>(
        std::string(m_w(N_("Telephone (empty = none, reached by letter): "))),
        [&](const std::string& a) -> std::optional<std::string> {
          if (a.empty()) {
            return std::nullopt;
          }
          text::check_line("phone", a, text::limits::phone);
          return a;
        });
  }

  /// The postal address, asked only of a person without e-mail and telephone: required then.
  std::optional<std::string> postal_address() {
    return ask<std::optional<std::string>>(
        std::string(m_w(N_("Postal address on one line (required without e-mail and "
                           "telephone): "))),
        [&](const std::string& a) -> std::optional<std::string> {
          if (a.empty()) {
            throw make_error(ExitCode::data, "{}",
                             m_w(N_("a person without e-mail or telephone is reached by letter: "
                                    "give an address, or < to go back")));
          }
          text::check_line("address", a, text::limits::postal_address);
          return a;
        });
  }

  std::optional<std::string> optional_line(const char* question, const char* name,
                                           std::size_t limit) {
    return ask<std::optional<std::string>>(
        fmt::format("{} {} ", m_w(question), m_w(N_("(empty = skip):"))),
        [&](const std::string& a) -> std::optional<std::string> {
          if (a.empty()) {
            return std::nullopt;
          }
          text::check_line(name, a, limit);
          return a;
        });
  }

  std::optional<int> birth_year() {
    return ask<std::optional<int>>(std::string(m_w(N_("Year of birth (empty = rather not say): "))),
                                   optional_year("birth year"));
  }

  Answer answer(const char* question) {
    return ask<Answer>(fmt::format("{} {} ", m_w(question), m_w(N_("[y/n/unknown]"))),
                       [&](const std::string& a) {
                         const auto s = text::fold_case(a);
                         if (const auto yes = yes_or_no(s)) {
                           return *yes ? Answer::yes : Answer::no;
                         }
                         if (s.empty() || s == "vet ej" || s == "unknown" || s == "?") {
                           return Answer::unknown;
                         }
                         throw make_error(ExitCode::usage, "{}", m_w(N_("answer y, n or unknown")));
                       });
  }

  std::string channel() {
    m_c.say(fmt::format("{} {}", m_w(N_("How did the person find the library?")),
                        choices(m_config.channels)));
    return ask<std::string>(std::string(m_w(N_("Channel: "))), [&](const std::string& a) {
      if (const auto* t = term(a, m_config.channels)) {
        return t->key;
      }
      throw make_error(ExitCode::usage, "{} {}", m_w(N_("choose a number or a name:")),
                       keys_of(m_config.channels));
    });
  }

  /// Whole experience map, asked again while it stays empty and the person wants to.
  std::vector<Experience> experiences() {
    std::vector<Experience> out;
    experience_map(out);
    while (out.empty() &&
           yes_no(std::string(m_w(N_("No experience given. Small and old experiences count too. "
                                     "Go through the map again?"))),
                  true)) {
      experience_map(out);
    }
    return out;
  }

  void experience_map(std::vector<Experience>& out) {
    m_c.say(m_w(N_(
        "== Experience map\n"
        "Go through every area, the everyday ones people forget too: a visit to the primary\n"
        "care centre, the pharmacy, 1177, coming along with a relative. Old experiences count.")));
    const std::string role_list = choices(m_config.roles);
    for (const auto& area : m_config.areas) {
      const std::string label = m_config.label(area);
      const std::string mark = area.everyday ? std::string(m_w(N_(" (everyday)"))) : "";
      if (!yes_no(fmt::format("{}{}: {}", label, mark, m_w(N_("any experience?"))), false)) {
        continue;
      }
      const auto roles = ask<std::vector<std::string>>(
          fmt::format("  {} {} [1]: ", m_w(N_("As")), role_list), [&](const std::string& a) {
            std::vector<std::string> keys;
            for (const auto& piece : text::split(a.empty() ? "1" : a, ',')) {
              const auto* t = term(piece, m_config.roles);
              if (t == nullptr) {
                throw make_error(ExitCode::usage, "{} {}",
                                 m_w(N_("choose roles by number or name, several with commas:")),
                                 keys_of(m_config.roles));
              }
              if (std::find(keys.begin(), keys.end(), t->key) == keys.end()) {
                keys.push_back(t->key);
              }
            }
            return keys;
          });
      const auto year = ask<std::optional<int>>(
          std::string(m_w(N_("  Roughly which year? (empty = not sure): "))),
          optional_year("year"));
      const Magnitude by_default = area.everyday ? Magnitude::everyday : Magnitude::major;
      const auto magnitude = ask<Magnitude>(
          fmt::format("  {} [{}]: ", m_w(N_("Major or everyday? m/e")),
                      by_default == Magnitude::major ? m_w(N_("m")) : m_w(N_("e"))),
          [&](const std::string& a) {
            const auto s = text::fold_case(a);
            if (s.empty()) {
              return by_default;
            }
            if (s == "s" || s == "stor" || s == "m" || s == "major") {
              return Magnitude::major;
            }
            if (s == "v" || s == "vardag" || s == "e" || s == "everyday") {
              return Magnitude::everyday;
            }
            throw make_error(ExitCode::usage, "{}", m_w(N_("answer m (major) or e (everyday)")));
          });
      for (const auto& role : roles) {
        out.push_back({role, area.key, year, magnitude});
      }
    }
  }

  /// Shows a consent's text and version and asks whether the person consents.
  bool consent(Purpose purpose) {
    const auto name = std::string(to_string(purpose));
    const auto text = m_config.consent_texts.find(name);
    // The heading once, before the first consent asked (the register's); the others follow
    // under it as their own "--" parts.
    if (!m_consents_headed) {
      m_c.say(fmt::format("== {} {})", m_w(N_("Consents (text version")),
                          m_config.consent_text_version));
      m_consents_headed = true;
    }
    m_c.say(
        fmt::format("-- {}\n{}", name, text == m_config.consent_texts.end() ? "" : text->second));
    return yes_no(std::string(m_w(N_("Does the person consent?"))), std::nullopt);
  }

  /// The register consent, asked first: without it nothing more is asked or kept.
  void register_consent(Recruitment& r) {
    std::erase(r.consents, Purpose::register_);
    if (!consent(Purpose::register_)) {
      throw make_error(
          ExitCode::data, "{}",
          m_w(N_("without the register consent nobody can be kept; nothing was saved")));
    }
    r.consents.insert(r.consents.begin(), Purpose::register_);
  }

  /// The other consents, each optional.
  void other_consents(Recruitment& r) {
    std::erase_if(r.consents, [](Purpose p) { return p != Purpose::register_; });
    for (const Purpose purpose : {Purpose::mailing, Purpose::website}) {
      if (consent(purpose)) {
        r.consents.push_back(purpose);
      }
    }
  }

  Method consent_method() {
    return ask<Method>(std::string(m_w(N_("Oral or written consent? o/w [o]: "))),
                       [&](const std::string& a) {
                         const auto s = text::fold_case(a);
                         if (s.empty() || s == "m" || s == "muntligt" || s == "o" || s == "oral") {
                           return Method::oral;
                         }
                         if (s == "s" || s == "skriftligt" || s == "w" || s == "written") {
                           return Method::written;
                         }
                         throw make_error(ExitCode::usage, "{}", m_w(N_("answer o or w")));
                       });
  }

  std::optional<std::string> notes() {
    // Asked here, at the terminal, so the notes never stand on a command line.
    return ask<std::optional<std::string>>(
        std::string(m_w(N_("Notes from the interview, only what is needed (empty = none): "))),
        [](const std::string& a) -> std::optional<std::string> {
          if (a.empty()) {
            return std::nullopt;
          }
          text::check_text("notes", a, text::limits::notes);
          return a;
        });
  }

  /// The person's wishes: in which contexts they want to take part (the final report's
  /// interviews asked this). Every answer may be left empty.
  void wishes(Wishes& w) {
    m_c.say(m_w(N_("== Wishes: in which contexts does the person want to take part?")));
    const auto keys = [&](const std::vector<config::Term>& terms) {
      return [&terms, this](const std::string& a) {
        std::vector<std::string> out;
        for (const auto& piece : text::split(a, ',')) {
          if (trim(piece).empty()) {
            continue;
          }
          const auto* t = term(piece, terms);
          if (t == nullptr) {
            throw make_error(ExitCode::usage, "{} {}",
                             m_w(N_("choose by number or name, several with commas:")),
                             keys_of(terms));
          }
          out.push_back(t->key);
        }
        return out;
      };
    };
    m_c.say(choices(m_config.forms));
    w.forms_wanted = ask<std::vector<std::string>>(
        std::string(m_w(N_("Forms they want (empty = any): "))), keys(m_config.forms));
    w.forms_unwanted = ask<std::vector<std::string>>(
        std::string(m_w(N_("Forms they do not want (empty = none): "))), keys(m_config.forms));
    w.setting = ask<Setting>(
        std::string(m_w(N_("Digitally, in person or either? d/p/e [e]: "))),
        [&](const std::string& a) {
          const auto s = text::fold_case(a);
          if (s.empty() || s == "e" || s == "b" || s == "båda" || s == "either" || s == "any") {
            return Setting::any;
          }
          if (s == "d" || s == "digitalt" || s == "digital") {
            return Setting::digital;
          }
          if (s == "p" || s == "f" || s == "fysiskt" || s == "in-person" || s == "in person") {
            return Setting::in_person;
          }
          throw make_error(ExitCode::usage, "{}", m_w(N_("answer d, p or e")));
        });
    m_c.say(choices(m_config.areas));
    w.areas_avoided = ask<std::vector<std::string>>(
        std::string(m_w(N_("Areas they would rather not be asked about (empty = none): "))),
        keys(m_config.areas));
    w.max_requests = ask<std::optional<int>>(
        std::string(m_w(N_("At most how many requests a year? (empty = no limit): "))),
        [](const std::string& a) -> std::optional<int> {
          if (a.empty()) {
            return std::nullopt;
          }
          if (a.size() > 4 || a.find_first_not_of("0123456789") != std::string::npos ||
              std::stoi(a) < 1 || std::stoi(a) > 1000) {
            throw make_error(ExitCode::data, "max-requests: use a whole number from 1 to 1000");
          }
          return std::stoi(a);
        });
    w.per = Period::year;
    if (w.max_requests) {
      w.per = ask<Period>(std::string(m_w(N_("Per month, quarter or year? m/q/y [y]: "))),
                          [&](const std::string& a) {
                            const auto s = text::fold_case(a);
                            if (s.empty() || s == "y" || s == "å" || s == "year" || s == "år") {
                              return Period::year;
                            }
                            if (s == "m" || s == "month" || s == "månad") {
                              return Period::month;
                            }
                            if (s == "q" || s == "k" || s == "quarter" || s == "kvartal") {
                              return Period::quarter;
                            }
                            throw make_error(ExitCode::usage, "{}", m_w(N_("answer m, q or y")));
                          });
    }
    w.paused_until = ask<std::optional<text::Date>>(
        std::string(m_w(N_("Not asked until a date, e.g. a holiday? YYYY-MM-DD (empty = no "
                           "pause): "))),
        [](const std::string& a) -> std::optional<text::Date> {
          if (a.empty()) {
            return std::nullopt;
          }
          return text::parse_date("paused-until", a);
        });
  }

  Words& words() { return m_w; }
  Conversation& conversation() { return m_c; }

 private:
  Conversation& m_c;
  const config::Config& m_config;
  Words m_w;
  bool m_consents_headed = false;  // the consents' heading was shown
};

std::string magnitude_label(Magnitude m, const Words& w) {
  return m == Magnitude::major ? w(N_("major"))
                               : i18n::tr_in_context(w.language(), "magnitude", "everyday");
}

}  // namespace

namespace {

std::string answer_label(Answer a, const Words& w) {
  switch (a) {
    case Answer::yes:
      return w(N_("yes"));
    case Answer::no:
      return w(N_("no"));
    case Answer::unknown:
      break;
  }
  return w(N_("unknown"));
}

std::string optional_label(const std::optional<std::string>& v, const Words& w) {
  return v && !v->empty() ? *v : w(N_("(none)"));
}

std::string wishes_label(const Wishes& x, const Words& w) {
  if (x.empty()) {
    return w(N_("(none)"));
  }
  std::vector<std::string> parts;
  if (!x.forms_wanted.empty()) {
    parts.push_back(fmt::format("{} {}", w(N_("wants:")), text::join(x.forms_wanted, ", ")));
  }
  if (!x.forms_unwanted.empty()) {
    parts.push_back(fmt::format("{} {}", w(N_("not:")), text::join(x.forms_unwanted, ", ")));
  }
  if (x.setting != Setting::any) {
    parts.emplace_back(to_string(x.setting));
  }
  if (!x.areas_avoided.empty()) {
    parts.push_back(fmt::format("{} {}", w(N_("avoid:")), text::join(x.areas_avoided, ", ")));
  }
  if (x.max_requests) {
    parts.push_back(fmt::format("{} {}/{}", w(N_("at most")), *x.max_requests, to_string(x.per)));
  }
  if (x.paused_until) {
    parts.push_back(
        fmt::format("{} {}", w(N_("paused until")), text::format_date(*x.paused_until)));
  }
  return text::join(parts, "; ");
}

/// One question of the interview: asked unless the command line gave its answer, shown in
/// the summary, and asked again when the person goes back or changes it. A new question is
/// one more entry in steps().
// Whether `r` has neither an e-mail address, a telephone number nor a postal address
// (check_reachable).
bool unreachable(const Recruitment& r) {
  return r.profile.email.empty() && (!r.profile.phone || r.profile.phone->empty()) &&
         (!r.profile.postal_address || r.profile.postal_address->empty());
}

struct Step {
  const char* label;  // what the summary calls the answer
  std::function<bool(const Recruitment&)> given;
  std::function<void(Interview&, Recruitment&)> ask;
  std::function<std::string(const Recruitment&, const config::Config&, const Words&)> show;
};

std::vector<Step> steps() {
  using R = const Recruitment&;
  using C = const config::Config&;
  using W = const Words&;
  const auto profile_answer = [](Answer Profile::*field, const char* question) {
    return Step{question, [field](R r) { return r.profile.*field != Answer::unknown; },
                [field, question](Interview& iv, Recruitment& r) {
                  r.profile.*field = iv.answer(question);
                },
                [field](R r, C, W w) { return answer_label(r.profile.*field, w); }};
  };
  return {
      // The register consent first: nothing is asked about a person who does not give it.
      // Consents given on the command line come as a whole, with their method.
      {N_("Consent to the register"), [](R r) { return !r.consents.empty(); },
       [](Interview& iv, Recruitment& r) { iv.register_consent(r); },
       [](R, C, W w) { return w(N_("yes")); }},
      {N_("Name"), [](R r) { return !r.profile.name.empty(); },
       [](Interview& iv, Recruitment& r) { r.profile.name = iv.name(); },
       [](R r, C, W) { return r.profile.name; }},
      {N_("E-mail"), [](R r) { return !r.profile.email.empty(); },
       [](Interview& iv, Recruitment& r) { r.profile.email = iv.email(); },
       [](R r, C, W w) { return optional_label(r.profile.email, w); }},
      {N_("Telephone"), [](R r) { return r.profile.phone.has_value(); },
       [](Interview& iv, Recruitment& r) {
         r.profile.phone = iv.phone(r.profile);
         if (unreachable(r)) {  // no e-mail, no telephone: by letter
           r.profile.postal_address = iv.postal_address();
         }
       },
       [](R r, C, W w) { return optional_label(r.profile.phone, w); }},
      // Asked by the telephone's step when needed (so never in turn: "given"), shown in the
      // summary and changeable there.
      {N_("Postal address"), [](R) { return true; },
       [](Interview& iv, Recruitment& r) { r.profile.postal_address = iv.postal_address(); },
       [](R r, C, W w) { return optional_label(r.profile.postal_address, w); }},
      {N_("Home municipality"), [](R r) { return r.profile.municipality.has_value(); },
       [](Interview& iv, Recruitment& r) {
         r.profile.municipality =
             iv.optional_line(N_("Home municipality"), "municipality", text::limits::municipality);
       },
       [](R r, C, W w) { return optional_label(r.profile.municipality, w); }},
      {N_("Year of birth"), [](R r) { return r.profile.birth_year.has_value(); },
       [](Interview& iv, Recruitment& r) { r.profile.birth_year = iv.birth_year(); },
       [](R r, C, W w) {
         return r.profile.birth_year ? std::to_string(*r.profile.birth_year) : w(N_("(none)"));
       }},
      profile_answer(&Profile::born_abroad, N_("Born outside Sweden?")),
      profile_answer(&Profile::care_professional,
                     N_("Works or worked in care or social services?")),
      profile_answer(&Profile::retired, N_("Retired?")),
      {N_("Channel"), [](R r) { return !r.profile.channel.empty(); },
       [](Interview& iv, Recruitment& r) { r.profile.channel = iv.channel(); },
       [](R r, C c, W) {
         const auto* t = config::find_term(c.channels, r.profile.channel);
         return t ? c.label(*t) : r.profile.channel;
       }},
      {N_("Experiences"), [](R r) { return !r.experiences.empty(); },
       [](Interview& iv, Recruitment& r) { r.experiences = iv.experiences(); },
       [](R r, C c, W w) {
         std::string out;
         for (const auto& x : r.experiences) {
           const auto* area = config::find_term(c.areas, x.area);
           const auto* role = config::find_term(c.roles, x.role);
           out += fmt::format("\n     {} – {}{} ({})", area ? c.label(*area) : x.area,
                              role ? c.label(*role) : x.role,
                              x.year ? fmt::format(", {}", *x.year) : "",
                              magnitude_label(x.magnitude, w));
         }
         return out.empty() ? w(N_("(none)")) : out;
       }},
      // The experience map asks for wishes too (the final report's "i vilka sammanhang de
      // ville medverka"): how the person wants to take part, right after their experiences.
      {N_("Wishes"), [](R r) { return r.wishes_given; },
       [](Interview& iv, Recruitment& r) {
         r.wishes = {};
         if (iv.yes_no(std::string(iv.words()(N_("Any wishes about how to take part (forms, "
                                                 "digital or in person, areas to avoid, how "
                                                 "often, a pause)?"))),
                       false)) {
           iv.wishes(r.wishes);
         }
       },
       [](R r, C, W w) { return wishes_label(r.wishes, w); }},
      {N_("Other consents"), [](R r) { return !r.consents.empty(); },
       [](Interview& iv, Recruitment& r) { iv.other_consents(r); },
       [](R r, C, W w) {
         std::vector<std::string> purposes;
         for (const auto p : r.consents) {
           if (p != Purpose::register_) {
             purposes.emplace_back(to_string(p));
           }
         }
         return purposes.empty() ? w(N_("(none)")) : text::join(purposes, ", ");
       }},
      {N_("How consent was given"), [](R r) { return !r.consents.empty(); },
       [](Interview& iv, Recruitment& r) { r.consent_method = iv.consent_method(); },
       [](R r, C, W w) {
         return r.consent_method == Method::oral ? w(N_("oral")) : w(N_("written"));
       }},
      {N_("Notes"), [](R r) { return r.profile.notes.has_value(); },
       [](Interview& iv, Recruitment& r) { r.profile.notes = iv.notes(); },
       [](R r, C, W w) { return optional_label(r.profile.notes, w); }},
  };
}

}  // namespace

Recruitment interview(Conversation& conversation, const config::Config& config,
                      const Recruitment& given, const DuplicateCheck& duplicate_of) {
  Interview iv(conversation, config);
  const Words& w = iv.words();
  Recruitment r = given;
  const auto all = steps();
  // What the command line gave is not asked; the rest is asked in order, and "<" goes back
  // to the question before (the answer given there is asked again).
  std::vector<bool> from_command_line;
  for (const auto& step : all) {
    from_command_line.push_back(step.given(r));
  }
  conversation.say(w(N_("(Answer < to go back to the question before.)")));
  std::vector<std::size_t> asked;
  for (std::size_t i = 0; i < all.size();) {
    if (from_command_line[i]) {
      ++i;
      continue;
    }
    try {
      all[i].ask(iv, r);
      asked.push_back(i);
      ++i;
    } catch (const GoBack&) {
      if (!asked.empty()) {
        i = asked.back();
        asked.pop_back();
      }
    }
  }
  for (;;) {
    std::string summary = fmt::format("== {}", w(N_("Summary")));
    for (std::size_t i = 0; i < all.size(); ++i) {
      summary += fmt::format("\n{:>2}) {}: {}", i + 1, w(all[i].label), all[i].show(r, config, w));
    }
    conversation.say(summary);
    try {
      if (iv.yes_no(std::string(w(N_("Save?"))), true)) {
        const auto existing =
            r.allow_duplicate || !duplicate_of ? std::nullopt : duplicate_of(r.profile);
        if (!existing) {
          return r;
        }
        // Said before saving, so no answer is lost: change one, or save a second record.
        conversation.say(i18n::tr_format_in(
            w.language(),
            "This person looks already registered as expert {} (the same e-mail, phone, or name "
            "and birth year).",
            *existing));
        if (iv.yes_no(std::string(w(N_("Save anyway as a new expert?"))), false)) {
          r.allow_duplicate = true;
          return r;
        }
      }
      // Not saved yet: one answer can be changed instead of throwing everything away.
      const auto n = iv.ask<std::size_t>(
          fmt::format("{} (1-{}, {}) ", w(N_("Which answer do you want to change?")), all.size(),
                      w(N_("empty = save nothing"))),
          [&](const std::string& a) -> std::size_t {
            if (a.empty()) {
              return 0;
            }
            for (std::size_t i = 1; i <= all.size(); ++i) {
              if (a == std::to_string(i)) {
                return i;
              }
            }
            throw make_error(ExitCode::usage, "{} 1-{}", w(N_("give a number from")), all.size());
          });
      if (n == 0) {
        throw make_error(ExitCode::usage, "{}", w(N_("nothing was saved")));
      }
      all[n - 1].ask(iv, r);
      // An e-mail address taken away: the telephone (or an address) is required now.
      for (std::size_t i = 0; i < all.size() && unreachable(r); ++i) {
        if (all[i].label == std::string_view(N_("Telephone"))) {
          all[i].ask(iv, r);
        }
      }
    } catch (const GoBack&) {
      // "<" at the summary: back to the summary.
    }
  }
}

output::Table experience_map(const Expert& expert, const config::Config& config, text::Date today) {
  const Words w(config);
  output::Table t;
  t.columns = {"area", "everyday", "experience", "roles", "year", "years_ago", "magnitude"};
  t.labels = {w(N_("Area")), w(N_("Everyday")),  w(N_("Experience")), w(N_("Roles")),
              w(N_("Year")), w(N_("Years ago")), w(N_("Felt as"))};
  const int this_year = static_cast<int>(today.year());
  // Data formats read keys (the area's and roles' keys, booleans, the magnitude's key); people
  // read the words (docs/output.md).
  const auto row_for = [&](std::string_view area_key, const std::string& label, bool everyday) {
    std::vector<std::string> role_keys;
    std::vector<std::string> roles;
    std::optional<int> year;
    std::optional<Magnitude> magnitude;
    for (const auto& x : expert.experiences) {
      if (x.area != area_key) {
        continue;
      }
      const auto* role = config::find_term(config.roles, x.role);
      role_keys.push_back(x.role);
      roles.push_back(role ? config.label(*role) : x.role);
      if (x.year && (!year || *x.year > *year)) {
        year = x.year;  // the most recent
      }
      if (!magnitude || x.magnitude == Magnitude::major) {
        magnitude = x.magnitude;
      }
    }
    const bool has = !roles.empty();
    const auto yes = [&](bool b) { return output::Term{b, b ? w(N_("yes")) : "–"}; };
    t.rows.push_back(
        {output::Term{std::string(area_key), label}, yes(everyday), yes(has),
         has ? output::Value(output::Term{text::join(role_keys, " "), text::join(roles, ", ")})
             : output::Value{},
         output::maybe(year),
         year ? output::Value(std::int64_t{this_year - *year}) : output::Value{},
         magnitude ? output::Value(output::Term{std::string(to_string(*magnitude)),
                                                magnitude_label(*magnitude, w)})
                   : output::Value{}});
  };
  for (const auto& area : config.areas) {
    row_for(area.key, config.label(area), area.everyday);
  }
  // Areas stored under an earlier taxonomy still show.
  for (const auto& x : expert.experiences) {
    if (config::find_term(config.areas, x.area) == nullptr &&
        std::none_of(t.rows.begin(), t.rows.end(), [&](const auto& row) {
          return std::get<std::string>(std::get<output::Term>(row[0]).key) == x.area;
        })) {
      row_for(x.area, x.area, false);
    }
  }
  return t;
}

}  // namespace lbib::experts
