// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/lending/assignments.hpp"
#include "lbib/output/format.hpp"
#include "lbib/text/date.hpp"

/// The public catalogue: the website page the final report describes, one anonymous card per
/// expert who consented to the website and approved a short description of themselves.
namespace lbib::catalogue {

/// The short description an expert approved, and when.
struct Description {
  std::string text;  // at most 600 characters; line breaks allowed
  text::Date approved_on;
};

/// Records (or with nullopt removes) expert `id`'s approved description. A new description
/// gets a random public reference; an edited one keeps its reference. Throws Error(data)
/// for a description that is empty, too long or has control characters, or an approval before
/// the interview, and Error(no_input) for an unknown or erased expert.
void describe(db::WriteTransaction& tx, std::int64_t id, const std::optional<Description>& d,
              const audit::Actor& actor);

/// One card: nothing that names or reaches the person. No name, contact data, municipality or
/// exact age; the age only as a ten-year band.
struct Card {
  /// The card's public reference ("3F9A2C"): drawn at random when the description was first
  /// recorded and kept while it stays, so it names the same card on every later page. Not
  /// the expert's id, nor their place on the page.
  std::string reference;
  std::string description;
  std::vector<std::string> experiences;  // "Anhörig – Demenssjukdom", in the config's language
  std::string area;                      // the heading the card stands under
  std::optional<std::string> age_band;   // "60–69 år"
};

/// The cards of every active expert with the website consent in force and an approved
/// description, grouped under the area of their first major experience (or first experience).
std::vector<Card> cards(db::Database& db, const config::Config& config, text::Date today);

/// Writes the page as HTML or Markdown: its title, introduction and contact link, the open
/// calls (lending::open_calls) first as open assignments with how to get in touch, the cards
/// under their areas, and the accessibility statement's link from the config, in the config's
/// language. The catalogue decides what the page says; the output layer writes it
/// (output::CardPage: the lang attribute, landmarks, escaping, and the style sheet with AA
/// contrast that reflows to 320 CSS px and prints on A4 with two cards a row). Throws
/// Error(usage) for any other format.
void write(std::ostream& out, output::Format format, const std::vector<Card>& cards,
           const config::Config& config, text::Date today,
           const std::vector<lending::OpenCall>& calls = {});

}  // namespace lbib::catalogue
