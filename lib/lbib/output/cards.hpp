// SPDX-License-Identifier: MIT
#pragma once

#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "lbib/output/format.hpp"

namespace lbib::output {

/// A sentence with at most one link in it: `before`, the link's `text` to `href`, `after`.
/// Without an href it is plain words (before, text and after in a row).
struct Linked {
  std::string before;
  std::string text{};
  std::string href{};
  std::string after{};
};

/// One card: a heading, what it says, then what a reader looks for in it.
struct Card {
  /// The id of the card's heading, unique within the page ("card-3F9A2C"): the card is
  /// labelled by its heading for assistive technology.
  std::string anchor;
  std::string heading;
  /// Paragraphs (a blank line between two), single line breaks kept.
  std::string text;
  /// A decorative placeholder picture above the heading, hidden from assistive technology.
  bool illustration = false;
  /// The card's kind, a class for style sheets and tests ("call"); empty for none.
  std::string kind{};
  /// A list under one term (HTML: a definition list's term and its descriptions; Markdown:
  /// the items alone, as a list).
  std::string items_term{};
  std::vector<std::string> items{};
  /// Single facts after the items, term and value (Markdown: "- term: value").
  std::vector<std::pair<std::string, std::string>> facts{};
  /// Lines after the text (HTML: a paragraph each; Markdown: a list item each).
  std::vector<Linked> lines{};
};

/// A section of cards under a heading, with an optional introduction.
struct CardSection {
  std::string anchor;  ///< the id of the section's heading, unique within the page
  std::string heading;
  std::string intro{};
  std::vector<Card> cards{};
};

/// A page of cards (the public catalogue): a header with the title and an introduction, the
/// sections of cards, a note after them (such as that there are no cards yet) and a footer.
/// The module that makes it decides every word and which cards there are; write() decides the
/// markup, the escaping and the style sheet (Stylesheet::cards).
struct CardPage {
  std::string language;
  std::string title;
  Linked intro;
  std::vector<CardSection> sections{};
  std::string note{};
  std::vector<Linked> footer{};
};

/// Writes `page` as a self-contained HTML page (write_page: landmarks, headings in order,
/// every section and card labelled by its heading) or as Markdown; every word escaped for the
/// format. Throws Error(usage) for any other format.
void write(std::ostream& out, Format format, const CardPage& page);

}  // namespace lbib::output
