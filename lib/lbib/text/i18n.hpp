// SPDX-License-Identifier: MIT
#pragma once

#include <fmt/format.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

/// The language of lbib's messages, through GNU gettext: English in the source, Swedish from
/// the catalogue po/sv.po (compiled by CMake with msgfmt). Mail templates, reports and the
/// catalogue take their language from the configuration instead (config::Config::language).
namespace lbib::i18n {

/// "sv" when the environment asks for Swedish (LANGUAGE, LC_ALL, LC_MESSAGES or LANG
/// starting with "sv"), otherwise "en".
std::string language_of_environment(
    const std::function<std::optional<std::string>(const char*)>& getenv);

/// The folder holding lbib's compiled catalogues (sv/LC_MESSAGES/lbib.mo): $LBIB_LOCALEDIR,
/// else found beside the running binary: ../share/locale when installed, ../locale in the
/// build tree.
std::filesystem::path catalogue_dir();

/// Makes messages Swedish ("sv") or English (anything else) from now on. Swedish works even
/// where no Swedish locale is installed (C.UTF-8 carries the catalogue's UTF-8).
void use_language(std::string_view language);

/// The language in use: "sv" or "en".
std::string_view language();

/// `english` translated into the language in use (itself when English, or untranslated).
const char* tr(const char* english);

/// Marks a string for extraction (scripts/extract-messages.sh) where it is defined; it is
/// translated with tr() where it is used.
constexpr const char* N_(const char* english) {
  return english;
}

/// tr() for a string that may not be NUL-terminated where it ends (a fmt format string).
std::string tr(std::string_view english);

/// fmt::format of `english` translated (a message that is not an error): checked at compile
/// time in English, and English again if a translation does not fit its arguments.
template <typename... Args>
std::string tr_format(fmt::format_string<Args...> english, Args&&... args) {
  const fmt::string_view checked = english;
  const std::string_view source(checked.data(), checked.size());
  if (language() != "en") {
    try {
      return fmt::vformat(tr(source), fmt::make_format_args(args...));
    } catch (const fmt::format_error&) {
    }
  }
  return fmt::vformat(source, fmt::make_format_args(args...));
}

/// The singular or plural form of `english` for the count `n`, translated into `language`
/// ("sv"; anything else is English) by the catalogue's plural rule (gettext's ngettext).
std::string tr_plural_in(std::string_view language, unsigned long n, std::string_view singular,
                         std::string_view plural);

/// tr_format() of the form for the count `n` ("1 expert", "2 experts"), in the language of
/// messages: both forms are checked at compile time against the arguments.
template <typename... Args>
std::string tr_nformat(unsigned long n, fmt::format_string<Args...> singular,
                       fmt::format_string<Args...> plural, Args&&... args) {
  const fmt::string_view one = singular;
  const fmt::string_view many = plural;
  const std::string_view english_one(one.data(), one.size());
  const std::string_view english_many(many.data(), many.size());
  const std::string_view english = n == 1 ? english_one : english_many;
  if (language() != "en") {
    try {
      return fmt::vformat(tr_plural_in(language(), n, english_one, english_many),
                          fmt::make_format_args(args...));
    } catch (const fmt::format_error&) {
    }
  }
  return fmt::vformat(english, fmt::make_format_args(args...));
}

/// tr_nformat() into `language`, as tr_in().
template <typename... Args>
std::string tr_nformat_in(std::string_view language, unsigned long n,
                          fmt::format_string<Args...> singular, fmt::format_string<Args...> plural,
                          Args&&... args) {
  const fmt::string_view one = singular;
  const fmt::string_view many = plural;
  const std::string_view english_one(one.data(), one.size());
  const std::string_view english_many(many.data(), many.size());
  const std::string_view english = n == 1 ? english_one : english_many;
  if (language == "sv") {
    try {
      return fmt::vformat(tr_plural_in(language, n, english_one, english_many),
                          fmt::make_format_args(args...));
    } catch (const fmt::format_error&) {
    }
  }
  return fmt::vformat(english, fmt::make_format_args(args...));
}

/// `english` translated into `language` ("sv"; anything else is English) whatever the language
/// of messages is: for documents written in the library's configured language (the record of
/// processing, the reminders' digest).
std::string tr_in(std::string_view language, std::string_view english);

/// tr_in() of `english` in `context` (a msgctxt in po/sv.po): for a short word that reads
/// differently in Swedish in different places ("Label": "Benämning" or "Beskrivning").
std::string tr_in_context(std::string_view language, std::string_view context,
                          std::string_view english);

/// tr_format() into `language`, as tr_in().
template <typename... Args>
std::string tr_format_in(std::string_view language, fmt::format_string<Args...> english,
                         Args&&... args) {
  const fmt::string_view checked = english;
  const std::string_view source(checked.data(), checked.size());
  if (language == "sv") {
    try {
      return fmt::vformat(tr_in(language, source), fmt::make_format_args(args...));
    } catch (const fmt::format_error&) {
    }
  }
  return fmt::vformat(source, fmt::make_format_args(args...));
}

}  // namespace lbib::i18n
