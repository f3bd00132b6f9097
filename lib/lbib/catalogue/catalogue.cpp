// SPDX-License-Identifier: MIT
#include "lbib/catalogue/catalogue.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "lbib/error.hpp"
#include "lbib/output/cards.hpp"
#include "lbib/text/i18n.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::catalogue {

using i18n::N_;
namespace {

constexpr std::size_t max_description = 600;

// A reference no card has: three random bytes from SQLite's generator (seeded by the
// operating system), in hexadecimal. Nothing about the person goes into it.
std::string fresh_reference(db::WriteTransaction& tx) {
  SQLite::Statement draw(tx.sql(), "SELECT upper(hex(randomblob(3)))");
  SQLite::Statement taken(tx.sql(), "SELECT 1 FROM catalogue_entry WHERE reference = ?");
  for (;;) {
    draw.reset();
    draw.executeStep();
    std::string reference = draw.getColumn(0).getString();
    taken.reset();
    taken.bind(1, reference);
    if (!taken.executeStep()) {
      return reference;
    }
  }
}

/// The href of the "Kontakta oss" link: the configured one, else mail to the library.
std::string contact_href(const config::Config& config) {
  return config.catalogue.contact_url.empty() ? "mailto:" + config.library_email
                                              : config.catalogue.contact_url;
}

/// What the page says: its words in the configuration's language, the open calls and the
/// cards grouped by area. The output layer writes it (output::CardPage).
output::CardPage page(const std::vector<Card>& cards, const config::Config& config,
                      text::Date today, const std::vector<lending::OpenCall>& calls) {
  const auto w = [&config](const char* english) { return i18n::tr_in(config.language, english); };
  output::CardPage p;
  p.language = config.language;  // "sv" or "en", checked when loaded
  p.title = fmt::format("{} – {}", config.library_name, w(N_("meet our experts by experience")));
  const std::string href = contact_href(config);
  const std::string contact = w(N_("Contact us"));
  // The intro around its "Kontakta oss" link.
  p.intro = {w(N_("People with their own experience of health and social care, as patients, "
                  "users, clients or relatives, introduce themselves here. Would your "
                  "organisation like to borrow one of them for its development work?")) +
                 " ",
             contact, href,
             w(N_(" and we will arrange a pre-meeting. Please quote the presentation's reference, "
                  "the six characters after “Expert”."))};
  // The open assignments: recruiting for one assignment (issue #16).
  if (!calls.empty()) {
    output::CardSection s{"open-assignments", w(N_("Open assignments")),
                          w(N_("Do you have your own experience of what an assignment below asks "
                               "for? You can take part in that assignment alone, without joining "
                               "the library."))};
    for (const auto& c : calls) {
      output::Card card;
      card.anchor = fmt::format("assignment-{}", c.request_id);
      card.heading = fmt::format("{} {}", w(N_("Assignment")), c.request_id);
      card.text = c.text;
      card.kind = "call";
      card.lines = {
          {fmt::format("{} {}", w(N_("Reply by:")), text::format_date(c.reply_by))},
          {"", contact, href,
           " " + i18n::tr_format_in(config.language, "and quote assignment {}.", c.request_id)}};
      s.cards.push_back(std::move(card));
    }
    p.sections.push_back(std::move(s));
  }
  // A section per area, in the cards' order.
  std::string area;
  int areas = 0;
  for (const auto& c : cards) {
    if (areas == 0 || c.area != area) {
      area = c.area;
      p.sections.push_back({fmt::format("area-{}", ++areas), c.area});
    }
    output::Card card;
    card.anchor = "card-" + c.reference;
    card.heading = fmt::format("{} {}", w(N_("Expert")), c.reference);
    card.text = c.description;
    card.illustration = true;
    card.items_term = w(N_("Experience"));
    card.items = c.experiences;
    if (c.age_band) {
      card.facts.emplace_back(w(N_("Age")), *c.age_band);
    }
    p.sections.back().cards.push_back(std::move(card));
  }
  if (cards.empty()) {
    p.note = w(N_("No presentations yet."));
  }
  p.footer.push_back({fmt::format(
      "{} {}. {}", w(N_("Updated")), text::format_date(today),
      w(N_("Every description was approved by the person. Names and contact details are never "
           "shown.")))});
  if (!config.catalogue.accessibility_statement_url.empty()) {
    p.footer.push_back(
        {"", w(N_("Accessibility statement")), config.catalogue.accessibility_statement_url});
  }
  return p;
}

}  // namespace

void describe(db::WriteTransaction& tx, std::int64_t id, const std::optional<Description>& d,
              const audit::Actor& actor) {
  SQLite::Statement expert(tx.sql(), "SELECT interviewed_on, erased_on FROM expert WHERE id = ?");
  expert.bind(1, id);
  if (!expert.executeStep() || !expert.getColumn(1).isNull()) {
    throw make_error(ExitCode::no_input, "no expert with id {}", id);
  }
  if (!d) {
    SQLite::Statement del(tx.sql(), "DELETE FROM catalogue_entry WHERE expert_id = ?");
    del.bind(1, id);
    if (del.exec() == 0) {
      throw make_error(ExitCode::no_input, "expert {} has no description to remove", id);
    }
    audit::record(tx, actor, "describe-remove", "expert", id);
    return;
  }
  text::check_text("description", d->text, max_description);
  if (d->text.find_first_not_of(" \n\t") == std::string::npos) {
    throw make_error(ExitCode::data, "description: empty; write 1 to {} characters",
                     max_description);
  }
  if (d->approved_on < text::parse_date("interviewed_on", expert.getColumn(0).getString())) {
    throw make_error(ExitCode::data, "approved: {} is before the expert's interview",
                     text::format_date(d->approved_on));
  }
  SQLite::Statement put(tx.sql(), R"sql(
    INSERT INTO catalogue_entry (expert_id, description, approved_on, recorded_by, reference)
    VALUES (?1, ?2, ?3, ?4, ?5)
    ON CONFLICT (expert_id) DO UPDATE SET description = excluded.description,
      approved_on = excluded.approved_on, recorded_by = excluded.recorded_by)sql");
  put.bind(1, id);
  put.bind(2, d->text);
  put.bind(3, text::format_date(d->approved_on));
  put.bind(4, actor.display());
  put.bind(5, fresh_reference(tx));  // used only when the entry is new
  put.exec();
  audit::record(tx, actor, "describe", "expert", id);
}

std::vector<Card> cards(db::Database& db, const config::Config& config, text::Date today) {
  // Only what a card shows is read: never a name, address, municipality or note.
  const std::string shown = R"sql(
    SELECT e.id FROM catalogue_entry c JOIN living_expert e ON e.id = c.expert_id
    WHERE e.status = 'active'
      AND EXISTS (SELECT 1 FROM active_consent k WHERE k.expert_id = e.id AND k.purpose = 'website')
      AND NOT EXISTS (SELECT 1 FROM assignment_recruit a WHERE a.expert_id = e.id
                        AND a.joined_on IS NULL))sql";
  struct Person {
    std::string reference;
    std::string description;
    std::optional<int> birth_year;
    std::vector<std::pair<std::string, std::string>> experiences;  // role, area
    std::optional<std::string> major_area;
  };
  std::map<std::int64_t, Person> people;
  SQLite::Statement q(
      db.sql(),
      "SELECT e.id, c.description, e.birth_year, c.reference FROM catalogue_entry c "
      "JOIN expert e ON e.id = c.expert_id WHERE e.id IN (" +
          shown + ") ORDER BY e.id");
  while (q.executeStep()) {
    Person& p = people[q.getColumn(0).getInt64()];
    p.description = q.getColumn(1).getString();
    p.reference = q.getColumn(3).getString();
    if (!q.getColumn(2).isNull()) {
      p.birth_year = q.getColumn(2).getInt();
    }
  }
  SQLite::Statement x(db.sql(),
                      "SELECT x.expert_id, x.role, x.area, x.magnitude FROM experience x "
                      "WHERE x.expert_id IN (" +
                          shown + ") ORDER BY x.expert_id, x.rowid");
  while (x.executeStep()) {
    Person& p = people.at(x.getColumn(0).getInt64());
    p.experiences.emplace_back(x.getColumn(1).getString(), x.getColumn(2).getString());
    if (!p.major_area && x.getColumn(3).getString() == "major") {
      p.major_area = x.getColumn(2).getString();
    }
  }
  const auto label = [&](const std::vector<config::Term>& terms, const std::string& key) {
    const auto* t = config::find_term(terms, key);
    return t != nullptr ? config.label(*t) : key;
  };
  // Grouped in the taxonomy's order of areas; by reference within an area, so neither the
  // order nor a card's name says who came first.
  std::map<std::size_t, std::vector<Card>> groups;
  for (const auto& [id, p] : people) {
    Card c;
    c.reference = p.reference;
    c.description = p.description;
    for (const auto& [role, area] : p.experiences) {
      c.experiences.push_back(
          fmt::format("{} – {}", label(config.roles, role), label(config.areas, area)));
    }
    const std::string area = p.major_area             ? *p.major_area
                             : !p.experiences.empty() ? p.experiences.front().second
                                                      : std::string();
    std::size_t order = config.areas.size();
    for (std::size_t i = 0; i < config.areas.size(); ++i) {
      if (config.areas[i].key == area) {
        order = i;
      }
    }
    c.area = area.empty() ? i18n::tr_in_context(config.language, "catalogue area", "Other")
                          : label(config.areas, area);
    if (p.birth_year) {
      const int age = static_cast<int>(today.year()) - *p.birth_year;
      const int from = age / 10 * 10;
      c.age_band = i18n::tr_format_in(config.language, "aged {}–{}", from, from + 9);
    }
    groups[order].push_back(std::move(c));
  }
  std::vector<Card> out;
  for (auto& [order, group] : groups) {
    std::sort(group.begin(), group.end(),
              [](const Card& a, const Card& b) { return a.reference < b.reference; });
    for (auto& c : group) {
      out.push_back(std::move(c));
    }
  }
  return out;
}

void write(std::ostream& out, output::Format format, const std::vector<Card>& cards,
           const config::Config& config, text::Date today,
           const std::vector<lending::OpenCall>& calls) {
  if (format != output::Format::html && format != output::Format::md) {
    throw make_error(ExitCode::usage, "--format: the catalogue is written as html or md");
  }
  output::write(out, format, page(cards, config, today, calls));
}

}  // namespace lbib::catalogue
