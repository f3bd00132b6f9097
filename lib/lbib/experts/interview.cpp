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

  void profile(Profile& p) {
    m_c.say(m_w(N_("== Contact details")));
    if (p.name.empty()) {
      p.name = ask<std::string>(std::string(m_w(N_("Name: "))), [](const std::string& a) {
        text::check_line("name", a, text::limits::name);
        if (a.empty()) {
          throw make_error(ExitCode::data, "name: required");
        }
        return a;
      });
    }
    if (p.email.empty()) {
      p.email = ask<std::string>(std::string(m_w(N_("E-mail: "))), [](const std::string& a) {
        text::check_email("email", a);
        return a;
      });
    }
    const auto optional_line = [&](std::optional<std::string>& field, const char* question,
                                   const char* name, std::size_t limit) {
      if (!field) {
        field = ask<std::optional<std::string>>(
            fmt::format("{} {} ", m_w(question), m_w(N_("(empty = skip):"))),
            [&](const std::string& a) -> std::optional<std::string> {
              if (a.empty()) {
                return std::nullopt;
              }
              text::check_line(name, a, limit);
              return a;
            });
      }
    };
    optional_line(p.phone, N_("Telephone"), "phone", text::limits::phone);
    optional_line(p.municipality, N_("Home municipality"), "municipality",
                  text::limits::municipality);
    if (!p.birth_year) {
      p.birth_year =
          ask<std::optional<int>>(std::string(m_w(N_("Year of birth (empty = rather not say): "))),
                                  optional_year("birth year"));
    }
    const auto answer = [&](Answer& field, const char* question) {
      if (field != Answer::unknown) {
        return;
      }
      field =
          ask<Answer>(fmt::format("{} {} ", m_w(question), m_w(N_("[y/n/unknown]"))),
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
    };
    answer(p.born_abroad, N_("Born outside Sweden?"));
    answer(p.care_professional, N_("Works or worked in care or social services?"));
    answer(p.retired, N_("Retired?"));
    if (p.channel.empty()) {
      m_c.say(fmt::format("{} {}", m_w(N_("How did the person find the library?")),
                          choices(m_config.channels)));
      p.channel = ask<std::string>(std::string(m_w(N_("Channel: "))), [&](const std::string& a) {
        if (const auto* t = term(a, m_config.channels)) {
          return t->key;
        }
        throw make_error(ExitCode::usage, "{} {}", m_w(N_("choose a number or a name:")),
                         keys_of(m_config.channels));
      });
    }
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

  void consents(Recruitment& r) {
    m_c.say(
        fmt::format("== {} {})", m_w(N_("Consents (text version")), m_config.consent_text_version));
    for (const Purpose purpose : {Purpose::register_, Purpose::mailing, Purpose::website}) {
      const auto name = std::string(to_string(purpose));
      const auto text = m_config.consent_texts.find(name);
      m_c.say(
          fmt::format("-- {}\n{}", name, text == m_config.consent_texts.end() ? "" : text->second));
      const bool agreed = yes_no(std::string(m_w(N_("Does the person consent?"))), std::nullopt);
      if (!agreed && purpose == Purpose::register_) {
        throw make_error(
            ExitCode::data, "{}",
            m_w(N_("without the register consent nobody can be kept; nothing was saved")));
      }
      if (agreed) {
        r.consents.push_back(purpose);
      }
    }
    r.consent_method = ask<Method>(
        std::string(m_w(N_("Oral or written consent? o/w [o]: "))), [&](const std::string& a) {
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
  }

  Words& words() { return m_w; }
  Conversation& conversation() { return m_c; }

 private:
  Conversation& m_c;
  const config::Config& m_config;
  Words m_w;
};

std::string magnitude_label(Magnitude m, const Words& w) {
  return m == Magnitude::major ? w(N_("major"))
                               : i18n::tr_in_context(w.language(), "magnitude", "everyday");
}

}  // namespace

Recruitment interview(Conversation& conversation, const config::Config& config,
                      const Recruitment& given) {
  Interview iv(conversation, config);
  const Words& w = iv.words();
  Recruitment r = given;
  iv.profile(r.profile);
  if (r.experiences.empty()) {
    iv.experience_map(r.experiences);
    while (
        r.experiences.empty() &&
        iv.yes_no(std::string(w(N_("No experience given. Small and old experiences count too. Go "
                                   "through the map again?"))),
                  true)) {
      iv.experience_map(r.experiences);
    }
  }
  if (r.consents.empty()) {
    iv.consents(r);
  }
  // The wishes are a step of their own, asked only of a person who may be sent requests.
  if (!r.wishes_given &&
      std::find(r.consents.begin(), r.consents.end(), Purpose::mailing) != r.consents.end() &&
      iv.yes_no(std::string(w(N_("Any wishes about how to take part (forms, digital or in "
                                 "person, areas to avoid, how often)?"))),
                false)) {
    iv.wishes(r.wishes);
  }
  if (!r.profile.notes) {
    // Asked here, at the terminal, so the notes never stand on a command line.
    r.profile.notes = iv.ask<std::optional<std::string>>(
        std::string(w(N_("Notes from the interview, only what is needed (empty = none): "))),
        [](const std::string& a) -> std::optional<std::string> {
          if (a.empty()) {
            return std::nullopt;
          }
          text::check_text("notes", a, text::limits::notes);
          return a;
        });
  }
  std::string summary =
      fmt::format("== {}\n{} <{}>\n", w(N_("Summary")), r.profile.name, r.profile.email);
  for (const auto& x : r.experiences) {
    const auto* area = config::find_term(config.areas, x.area);
    const auto* role = config::find_term(config.roles, x.role);
    summary +=
        fmt::format("  {} – {}{} ({})\n", area ? config.label(*area) : x.area,
                    role ? config.label(*role) : x.role, x.year ? fmt::format(", {}", *x.year) : "",
                    magnitude_label(x.magnitude, w));
  }
  std::vector<std::string> purposes;
  for (const auto p : r.consents) {
    purposes.emplace_back(to_string(p));
  }
  summary += fmt::format("{}: {}", w(N_("Consents")), text::join(purposes, ", "));
  if (r.profile.notes) {
    summary += fmt::format("\n{}: {}", w(N_("Notes")), *r.profile.notes);
  }
  conversation.say(summary);
  if (!iv.yes_no(std::string(w(N_("Save?"))), true)) {
    throw make_error(ExitCode::usage, "{}", w(N_("nothing was saved")));
  }
  return r;
}

output::Table experience_map(const Expert& expert, const config::Config& config, text::Date today) {
  const Words w(config);
  output::Table t;
  t.columns = {"area", "everyday", "experience", "roles", "year", "years_ago", "magnitude"};
  t.labels = {w(N_("Area")), w(N_("Everyday")),  w(N_("Experience")), w(N_("Roles")),
              w(N_("Year")), w(N_("Years ago")), w(N_("Felt as"))};
  const int this_year = static_cast<int>(today.year());
  const auto row_for = [&](std::string_view area_key, const std::string& label, bool everyday) {
    std::vector<std::string> roles;
    std::optional<int> year;
    std::optional<Magnitude> magnitude;
    for (const auto& x : expert.experiences) {
      if (x.area != area_key) {
        continue;
      }
      const auto* role = config::find_term(config.roles, x.role);
      roles.push_back(role ? config.label(*role) : x.role);
      if (x.year && (!year || *x.year > *year)) {
        year = x.year;  // the most recent
      }
      if (!magnitude || x.magnitude == Magnitude::major) {
        magnitude = x.magnitude;
      }
    }
    const bool has = !roles.empty();
    const auto yes = [&](bool b) { return output::text_cell(b ? w(N_("yes")) : "–"); };
    t.rows.push_back(
        {label, yes(everyday), yes(has),
         has ? output::Value(text::join(roles, ", ")) : output::Value{}, output::maybe(year),
         year ? output::Value(std::int64_t{this_year - *year}) : output::Value{},
         magnitude ? output::text_cell(magnitude_label(*magnitude, w)) : output::Value{}});
  };
  for (const auto& area : config.areas) {
    row_for(area.key, config.label(area), area.everyday);
  }
  // Areas stored under an earlier taxonomy still show.
  for (const auto& x : expert.experiences) {
    if (config::find_term(config.areas, x.area) == nullptr &&
        std::none_of(t.rows.begin(), t.rows.end(),
                     [&](const auto& row) { return std::get<std::string>(row[0]) == x.area; })) {
      row_for(x.area, x.area, false);
    }
  }
  return t;
}

}  // namespace lbib::experts
